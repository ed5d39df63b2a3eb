package dev.plinth.platform.management;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.config.PlinthSettings;
import dev.plinth.platform.config.Secret;
import dev.plinth.platform.http.Problem;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/**
 * Answers 401 to any request for a guarded management endpoint that does not carry {@code
 * Authorization: Bearer APP_MANAGEMENT_TOKEN}. A bean only when the contract switched guarded
 * endpoints on (it then also requires the token), so the default start pays nothing for it. Our own
 * rather than micronaut-security: one shared token is all the management port needs, and
 * Micronaut's sensitive flag without security refuses every caller.
 */
@ServerFilter(Filter.MATCH_ALL_PATTERN)
@Requires(property = PlinthProperties.MANAGEMENT_GUARDED_ENDPOINTS)
public final class ManagementTokenFilter implements Ordered {

  private static final String BEARER = "Bearer ";

  private final Set<String> guarded;
  private final byte[] token;

  ManagementTokenFilter(PlinthSettings settings) {
    PlinthSettings.Management management = settings.management();
    this.guarded = management.endpoints();
    this.token =
        management
            .token()
            .map(Secret::reveal)
            .orElseThrow(() -> new IllegalStateException("guarded endpoints without a token"))
            .getBytes(StandardCharsets.UTF_8);
  }

  @RequestFilter
  @Nullable
  HttpResponse<?> requireToken(HttpRequest<?> request) {
    if (!guarded.contains(endpointId(request.getPath())) || presentsToken(request)) {
      return null;
    }
    return HttpResponse.status(HttpStatus.UNAUTHORIZED)
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"management\"")
        .contentType(Problem.MEDIA_TYPE)
        .body(
            new Problem(
                "about:blank",
                "Unauthorized",
                401,
                "this management endpoint needs the management bearer token",
                request.getPath(),
                null));
  }

  private boolean presentsToken(HttpRequest<?> request) {
    String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
    if (authorization == null || !authorization.startsWith(BEARER)) {
      return false;
    }
    byte[] given = authorization.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token);
  }

  /**
   * The first path segment: Micronaut serves endpoint {@code id} at {@code /id} and below. Extra
   * leading slashes and case are ignored, so {@code //STOP} is guarded like {@code /stop}.
   */
  private static String endpointId(String path) {
    int start = 0;
    while (start < path.length() && path.charAt(start) == '/') {
      start++;
    }
    int end = path.indexOf('/', start);
    return path.substring(start, end < 0 ? path.length() : end).toLowerCase(Locale.ROOT);
  }

  /** Before routing and every other filter but the request id: a refusal costs nothing. */
  @Override
  public int getOrder() {
    return ServerFilterPhase.FIRST.order();
  }
}
