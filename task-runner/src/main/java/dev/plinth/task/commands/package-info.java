/**
 * TASK's command framework and its commands: migrate, check, config, run, enqueue, dead-letters and
 * completion, run one at a time or as {@code APP_TASK_LIST} (docs/commands.md).
 */
package dev.plinth.task.commands;
