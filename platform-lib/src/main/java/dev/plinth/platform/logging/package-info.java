/**
 * mozlog JSON logs on stdout, the request id that follows a request into its tasks, and the {@code
 * request.summary} line.
 */
package dev.plinth.platform.logging;
