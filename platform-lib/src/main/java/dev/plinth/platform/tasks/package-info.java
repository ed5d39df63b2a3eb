/**
 * Tasks, the public API: define a task ({@link dev.plinth.platform.tasks.TaskDefinition}), handle
 * it ({@link dev.plinth.platform.tasks.TaskHandler}), enqueue it ({@link
 * dev.plinth.platform.tasks.TaskQueue}) and read its run ({@link
 * dev.plinth.platform.tasks.TaskRun}). The machinery is in the subpackages: {@code protocol}
 * (Celery's wire format), {@code broker} (RabbitMQ), {@code execution}, {@code state} (run rows)
 * and {@code queue} (docs/tasks.md).
 */
package dev.plinth.platform.tasks;
