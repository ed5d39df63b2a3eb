/** What the session and cache Redis servers share: lazy connections and the reachability check. */
package dev.plinth.platform.redis;
