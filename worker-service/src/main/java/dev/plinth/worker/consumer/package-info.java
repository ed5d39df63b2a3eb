/**
 * WORKER's consumer loop: deliveries from RabbitMQ run through the task engine, acknowledged after
 * their state is recorded, and the {@code task_consumers} heartbeat check.
 */
package dev.plinth.worker.consumer;
