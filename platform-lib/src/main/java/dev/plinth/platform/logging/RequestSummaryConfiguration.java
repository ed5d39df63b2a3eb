package dev.plinth.platform.logging;

import dev.plinth.platform.config.PlinthProperties;
import io.micronaut.context.annotation.ConfigurationProperties;
import java.util.List;

/**
 * {@code plinth.logging.request-summary.*}: the one {@code request.summary} line per HTTP request.
 * The defaults are here and nowhere else.
 */
@ConfigurationProperties(PlinthProperties.REQUEST_SUMMARY)
public class RequestSummaryConfiguration {

  private boolean enabled = true;
  private List<String> excludePaths = List.of();

  /** Whether request summaries are logged at all (default true). */
  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Exact request paths not summarised, e.g. a noisy probe (default: none, probes included). */
  public List<String> getExcludePaths() {
    return excludePaths;
  }

  public void setExcludePaths(List<String> excludePaths) {
    this.excludePaths = excludePaths == null ? List.of() : List.copyOf(excludePaths);
  }
}
