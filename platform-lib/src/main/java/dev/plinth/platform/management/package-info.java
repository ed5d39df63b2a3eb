/**
 * The management port's guard: the endpoints an operator switched on with {@code
 * APP_MANAGEMENT_ENDPOINTS} answer only a caller that presents {@code APP_MANAGEMENT_TOKEN}.
 */
package dev.plinth.platform.management;
