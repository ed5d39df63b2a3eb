/**
 * Running one attempt of a task: handler lookup, retries with backoff, time limits, and the outcome
 * the caller acts on.
 */
package dev.plinth.platform.tasks.execution;
