/**
 * Rate limits in one notation ({@link dev.plinth.platform.ratelimit.RateLimit}) and the token
 * buckets that hold them ({@link dev.plinth.platform.ratelimit.TokenBuckets}): shared by every
 * instance through the cache's Redis when there is one, per instance otherwise or while Redis is
 * away. The task limits and WEB's request limits both use them.
 */
package dev.plinth.platform.ratelimit;
