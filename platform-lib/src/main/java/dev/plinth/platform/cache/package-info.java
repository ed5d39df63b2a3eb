/**
 * Named caches in Redis, or Caffeine in memory as the embedded default, that degrade to uncached
 * while Redis is away.
 */
package dev.plinth.platform.cache;
