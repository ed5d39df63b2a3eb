/**
 * Error reporting to Sentry when {@code SENTRY_DSN} is set, scrubbed by allow-list before any event
 * leaves the process.
 */
package dev.plinth.platform.sentry;
