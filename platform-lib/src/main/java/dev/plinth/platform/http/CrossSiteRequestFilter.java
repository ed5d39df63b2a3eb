package dev.plinth.platform.http;

import dev.plinth.platform.config.PlinthProperties;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses a state-changing request that carries a cookie and that a browser says comes from another
 * site: {@code Sec-Fetch-Site} other than {@code same-origin} or {@code none}, or else an {@code
 * Origin} whose host is not the request's own (nor one of {@code plinth.http.allowed-origins}).
 * That is the cross-site request forgery a session cookie invites; {@code SameSite=Lax} already
 * stops most of it, this stops the rest (a sibling subdomain, an old browser). Requests without a
 * cookie (API clients with tokens) and safe methods pass untouched, and so do clients that send
 * neither header (curl, server-side callers), which no forgery can make a browser do.
 */
@ServerFilter(Filter.MATCH_ALL_PATTERN)
final class CrossSiteRequestFilter {
  private static final Set<HttpMethod> SAFE =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

  private final List<String> allowedOrigins;

  CrossSiteRequestFilter(
      @Value("${" + PlinthProperties.HTTP_ALLOWED_ORIGINS + ":}") List<String> allowedOrigins) {
    this.allowedOrigins =
        allowedOrigins.stream().map(o -> o.trim().toLowerCase(Locale.ROOT)).toList();
  }

  @RequestFilter
  @Nullable
  MutableHttpResponse<?> refuseCrossSite(HttpRequest<?> request) {
    if (SAFE.contains(request.getMethod()) || !request.getHeaders().contains(HttpHeaders.COOKIE)) {
      return null;
    }
    String site = request.getHeaders().get("Sec-Fetch-Site");
    if (site != null) {
      return site.equals("same-origin") || site.equals("none") ? null : refuse(request);
    }
    String origin = request.getHeaders().get(HttpHeaders.ORIGIN);
    if (origin == null || sameHost(origin, request.getHeaders().get(HttpHeaders.HOST))) {
      return null;
    }
    return allowedOrigins.contains(origin.toLowerCase(Locale.ROOT)) ? null : refuse(request);
  }

  // The scheme may differ behind a TLS-terminating proxy; the host and port the browser used may
  // not. A default port is the same as none.
  static boolean sameHost(String origin, @Nullable String host) {
    if (host == null || origin.equals("null")) {
      return false;
    }
    URI uri;
    try {
      uri = URI.create(origin);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (uri.getHost() == null) {
      return false;
    }
    String expected = uri.getHost().toLowerCase(Locale.ROOT);
    String given = host.toLowerCase(Locale.ROOT);
    if (uri.getPort() >= 0) {
      expected = expected + ":" + uri.getPort();
    }
    return given.equals(expected)
        || given.equals(expected + ":443")
        || given.equals(expected + ":80");
  }

  private static MutableHttpResponse<Problem> refuse(HttpRequest<?> request) {
    return Problem.response(
        HttpStatus.FORBIDDEN,
        "A cross-site request may not change anything here.",
        request.getPath());
  }
}
