/**
 * Celery protocol v2 on the wire: encoding and decoding task messages and replies, and the header
 * checks that keep a malformed message from wedging a worker.
 */
package dev.plinth.platform.tasks.protocol;
