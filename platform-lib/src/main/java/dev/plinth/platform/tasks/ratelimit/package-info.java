/**
 * Task rate limits (docs/tasks.md, "Rate limits"): a token bucket per task name, in Celery's
 * notation, shared by every worker through the cache's Redis when there is one ({@link
 * dev.plinth.platform.ratelimit.TokenBuckets}).
 */
package dev.plinth.platform.tasks.ratelimit;
