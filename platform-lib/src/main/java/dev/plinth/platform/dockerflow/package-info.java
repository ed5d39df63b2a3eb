/**
 * Dockerflow's health model without a framework: checks, their levels and messages, and the
 * registry that runs them for {@code /__heartbeat__}.
 */
package dev.plinth.platform.dockerflow;
