package dev.plinth.web.ratelimit;

import dev.plinth.platform.ratelimit.RateLimit;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.util.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The route groups of {@code plinth.web.ratelimits}, read at start-up (a bad one stops it, named):
 * each a token bucket per client holding the limit's count, refilled evenly over its period, so a
 * client may burst up to the limit and then goes at its rate.
 */
@Context
@Requires(beans = RouteGroupLimit.class)
final class RequestRateLimits {
  /** A group's patterns and bucket. */
  record Group(String name, List<String> paths, RateLimit rate, BucketConfiguration bucket) {}

  private final List<Group> groups = new ArrayList<>();

  RequestRateLimits(List<RouteGroupLimit> configured) {
    for (RouteGroupLimit group : configured) {
      String at = RouteGroupLimit.PREFIX + "." + group.getName();
      if (group.getLimit() == null || group.getPaths().isEmpty()) {
        throw new IllegalArgumentException(at + ": needs both .paths and .limit");
      }
      RateLimit rate;
      try {
        rate = RateLimit.parse(group.getLimit());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + ".limit: " + e.getMessage(), e);
      }
      groups.add(
          new Group(
              group.getName(),
              group.getPaths(),
              rate,
              BucketConfiguration.builder()
                  .addLimit(
                      Bandwidth.builder()
                          .capacity(rate.count())
                          .refillGreedy(rate.count(), rate.per())
                          .build())
                  .build()));
    }
    groups.sort(Comparator.comparing(Group::name));
  }

  /** Every group one of whose patterns matches {@code path}. */
  List<Group> matching(String path) {
    List<Group> matched = new ArrayList<>(1);
    for (Group group : groups) {
      for (String pattern : group.paths()) {
        if (PathMatcher.ANT.matches(pattern, path)) {
          matched.add(group);
          break;
        }
      }
    }
    return matched;
  }
}
