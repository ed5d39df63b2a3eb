/**
 * WEB's request rate limits (docs/api.md, "Rate limits"): per client (the authenticated user, else
 * the client address behind the trusted proxies), per route group, configured under {@code
 * plinth.web.ratelimits}; the buckets are the platform's {@link
 * dev.plinth.platform.ratelimit.TokenBuckets}, shared through the cache's Redis when there is one.
 */
package dev.plinth.web.ratelimit;
