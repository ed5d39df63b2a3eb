package dev.plinth.platform.http;

import dev.plinth.platform.config.PlinthSettings;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * The browser-facing defaults on every response Micronaut writes: no MIME sniffing, no framing by
 * other sites, no referrer leaving the origin, and outside debug HSTS (plain http is local only). A
 * handler that sets one of these itself keeps its own value.
 */
@ServerFilter(Filter.MATCH_ALL_PATTERN)
final class SecurityHeadersFilter {
  static final String HSTS = "max-age=31536000; includeSubDomains";

  private final boolean hsts;

  SecurityHeadersFilter(PlinthSettings settings) {
    this.hsts = !settings.debug();
  }

  @ResponseFilter
  void addHeaders(MutableHttpResponse<?> response) {
    setIfAbsent(response, "X-Content-Type-Options", "nosniff");
    setIfAbsent(response, "X-Frame-Options", "DENY");
    setIfAbsent(response, "Content-Security-Policy", "frame-ancestors 'none'");
    setIfAbsent(response, "Referrer-Policy", "strict-origin-when-cross-origin");
    if (hsts) {
      setIfAbsent(response, "Strict-Transport-Security", HSTS);
    }
  }

  private static void setIfAbsent(MutableHttpResponse<?> response, String name, String value) {
    if (!response.getHeaders().contains(name)) {
      response.header(name, value);
    }
  }
}
