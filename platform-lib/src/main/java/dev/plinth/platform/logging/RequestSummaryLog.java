package dev.plinth.platform.logging;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.secrets.SensitiveParameters;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.util.StringUtils;
import jakarta.inject.Singleton;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Writes the one {@code request.summary} line (INFO) of an HTTP request: path, method, code, errno,
 * t (ms), agent, lang, rid, uid and, when there is one, querystring. {@link RequestSummaryFilter}
 * uses it for requests Micronaut routes; the Dockerflow load-balancer heartbeat, answered in the
 * Netty pipeline, uses it too, so both lines are the same shape.
 */
@Singleton
@Requires(property = PlinthProperties.REQUEST_SUMMARY_ENABLED, notEquals = StringUtils.FALSE)
public final class RequestSummaryLog {
  static final String LOGGER_NAME = "request.summary";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

  private final Set<String> excludedPaths;

  RequestSummaryLog(RequestSummaryConfiguration configuration) {
    this.excludedPaths = Set.copyOf(configuration.getExcludePaths());
  }

  /** Whether a request for {@code path} gets a line: INFO is on and the path is not excluded. */
  public boolean wants(String path) {
    return LOG.isInfoEnabled() && !excludedPaths.contains(path);
  }

  /**
   * Logs the line of a request that arrived at {@code startNanos} ({@link System#nanoTime()}). Null
   * header values are written as empty strings; a null or empty query is left out.
   */
  public void log(
      String path,
      String method,
      int code,
      long startNanos,
      String agent,
      String lang,
      String rid,
      String uid,
      String query) {
    LoggingEventBuilder line =
        LOG.atInfo()
            .addKeyValue("path", path)
            .addKeyValue("method", method)
            .addKeyValue("code", code)
            .addKeyValue("errno", code >= 400 ? code : 0)
            .addKeyValue("t", (System.nanoTime() - startNanos) / 1_000_000L)
            .addKeyValue("agent", orEmpty(agent))
            .addKeyValue("lang", orEmpty(lang))
            .addKeyValue(RequestIds.MDC_KEY, orEmpty(rid))
            .addKeyValue("uid", orEmpty(uid));
    if (query != null && !query.isEmpty()) {
      line = line.addKeyValue("querystring", SensitiveParameters.mask(query));
    }
    line.log();
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
