package dev.plinth.platform.http;

import dev.plinth.platform.config.PlinthProperties;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.ReadableBytes;
import java.util.List;

/**
 * {@code plinth.http.*}: how large a request body may be, by route. Micronaut's own {@code
 * micronaut.server.max-request-size} is one limit for the whole server; it stays the ceiling, and
 * this is the limit every route gets unless its path starts with one of {@code large-body-paths}
 * (an upload route), which gets {@code large-body-size}.
 */
@ConfigurationProperties(PlinthProperties.HTTP)
public class RequestBodyLimits {
  /** 1 MB: far more than any JSON or form a route of the example takes. */
  public static final long DEFAULT_MAX_BODY_SIZE = 1024 * 1024;

  private long maxBodySize = DEFAULT_MAX_BODY_SIZE;
  private List<String> largeBodyPaths = List.of();
  private long largeBodySize = DEFAULT_MAX_BODY_SIZE;

  public long getMaxBodySize() {
    return maxBodySize;
  }

  /**
   * @param maxBodySize the largest body of a route outside {@code large-body-paths} ({@code 1MB})
   */
  public void setMaxBodySize(@ReadableBytes long maxBodySize) {
    this.maxBodySize = maxBodySize;
  }

  public List<String> getLargeBodyPaths() {
    return largeBodyPaths;
  }

  /**
   * @param largeBodyPaths path prefixes of the routes that take large bodies (uploads)
   */
  public void setLargeBodyPaths(List<String> largeBodyPaths) {
    this.largeBodyPaths = List.copyOf(largeBodyPaths);
  }

  public long getLargeBodySize() {
    return largeBodySize;
  }

  /**
   * @param largeBodySize the largest body on {@code large-body-paths}
   */
  public void setLargeBodySize(@ReadableBytes long largeBodySize) {
    this.largeBodySize = largeBodySize;
  }

  /** The limit for a request to {@code path}. */
  public long limitFor(String path) {
    for (String prefix : largeBodyPaths) {
      if (path.startsWith(prefix)) {
        return largeBodySize;
      }
    }
    return maxBodySize;
  }
}
