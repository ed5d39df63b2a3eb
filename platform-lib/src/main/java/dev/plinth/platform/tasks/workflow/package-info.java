/**
 * Workflows a Java producer builds as a Python one does with Celery's canvas (docs/tasks.md,
 * "Workflows"): a {@link dev.plinth.platform.tasks.workflow.Workflow} of {@link
 * dev.plinth.platform.tasks.workflow.Signature}s (a chain, a group or a chord), started by {@link
 * dev.plinth.platform.tasks.TaskQueue#start}. On the wire they are Celery's, so a Celery worker can
 * run any step but a chord's header parts, which the run-state store counts.
 */
package dev.plinth.platform.tasks.workflow;
