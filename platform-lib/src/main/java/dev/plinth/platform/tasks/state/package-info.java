/**
 * The run state in {@code task_run}: queued, running and finished rows, written by a group-commit
 * thread so that many runs cost one transaction.
 */
package dev.plinth.platform.tasks.state;
