/**
 * Revoked tasks (docs/tasks.md, "Revoke"): the ids a worker acknowledges without running, from
 * Celery's remote-control {@code revoke} broadcast or Plinth's own {@link
 * dev.plinth.platform.tasks.revoke.TaskRevoker}, kept in the database until they expire so that a
 * worker started later still honours them.
 */
package dev.plinth.platform.tasks.revoke;
