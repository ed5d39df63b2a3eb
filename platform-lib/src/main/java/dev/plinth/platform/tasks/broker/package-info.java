/**
 * The AMQP adapter: RabbitMQ connections, topology (queues, wait queues, dead letters), publishing
 * with confirms, RPC replies, and the {@code broker} heartbeat check.
 */
package dev.plinth.platform.tasks.broker;
