package dev.plinth.web.ratelimit;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.util.List;

/**
 * One route group's limit: {@code plinth.web.ratelimits.<group>.paths} (Ant patterns, such as
 * {@code /api/**}) and {@code plinth.web.ratelimits.<group>.limit} (a rate such as {@code 100/m}:
 * that many requests at once, refilled evenly over the period), per client.
 */
@EachProperty(RouteGroupLimit.PREFIX)
public final class RouteGroupLimit {
  /** Where the groups are configured. */
  public static final String PREFIX = "plinth.web.ratelimits";

  private final String name;
  private List<String> paths = List.of();
  private String limit;

  public RouteGroupLimit(@Parameter String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public List<String> getPaths() {
    return paths;
  }

  public void setPaths(List<String> paths) {
    this.paths = List.copyOf(paths);
  }

  public String getLimit() {
    return limit;
  }

  public void setLimit(String limit) {
    this.limit = limit;
  }
}
