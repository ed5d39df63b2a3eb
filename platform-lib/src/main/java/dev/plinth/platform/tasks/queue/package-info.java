/**
 * The two {@link dev.plinth.platform.tasks.TaskQueue} implementations: to RabbitMQ with publisher
 * confirms and the enqueue outbox, or in this process (WEB's embedded default).
 */
package dev.plinth.platform.tasks.queue;
