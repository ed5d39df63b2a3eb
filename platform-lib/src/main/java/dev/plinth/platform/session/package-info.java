/**
 * HTTP sessions: the Redis store that survives Redis outages, its check, and session id rotation on
 * a change of privilege.
 */
package dev.plinth.platform.session;
