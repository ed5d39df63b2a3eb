/**
 * Tasks: the API to define, enqueue and run them, Celery protocol v2 on RabbitMQ, in-process
 * execution for WEB's embedded default, and the run state in {@code task_run} (docs/tasks.md).
 */
package dev.plinth.platform.tasks;
