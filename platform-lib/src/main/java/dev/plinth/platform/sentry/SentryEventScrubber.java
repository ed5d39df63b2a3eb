package dev.plinth.platform.sentry;

import dev.plinth.platform.config.Secret;
import dev.plinth.platform.secrets.SecretRedactor;
import dev.plinth.platform.secrets.SensitiveParameters;
import io.sentry.Breadcrumb;
import io.sentry.Hint;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions;
import io.sentry.protocol.Message;
import io.sentry.protocol.Request;
import io.sentry.protocol.SentryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The last step before an event leaves the process: no request body, no cookies, only headers known
 * to be safe, sensitive query parameters masked by name, and every known secret value replaced
 * wherever text can carry it (message, exception values, tags, extras, breadcrumbs, request URL and
 * headers, the MDC context).
 */
final class SentryEventScrubber implements SentryOptions.BeforeSendCallback {
  /** An allow-list: a header not named here (X-Auth-Token, a vendor's key header) never leaves. */
  static final Set<String> KEPT_HEADERS =
      Set.of(
          "accept",
          "accept-encoding",
          "accept-language",
          "cache-control",
          "content-length",
          "content-type",
          "host",
          "origin",
          "referer",
          "user-agent",
          "x-request-id",
          "x-forwarded-proto",
          "sec-fetch-site",
          "sec-fetch-mode",
          "sec-fetch-dest");

  private final SecretRedactor redactor;

  SentryEventScrubber(SecretRedactor redactor) {
    this.redactor = redactor;
  }

  @Override
  public SentryEvent execute(SentryEvent event, Hint hint) {
    scrubRequest(event.getRequest());
    Message message = event.getMessage();
    if (message != null) {
      message.setMessage(redactor.redact(message.getMessage()));
      message.setFormatted(redactor.redact(message.getFormatted()));
      if (message.getParams() != null) {
        message.setParams(message.getParams().stream().map(redactor::redact).toList());
      }
    }
    if (event.getExceptions() != null) {
      for (SentryException exception : event.getExceptions()) {
        exception.setValue(redactor.redact(exception.getValue()));
      }
    }
    if (event.getTags() != null) {
      new TreeMap<>(event.getTags()).forEach((k, v) -> event.setTag(k, redactor.redact(v)));
    }
    if (event.getExtras() != null) {
      new TreeMap<>(event.getExtras()).forEach((k, v) -> event.setExtra(k, scrubValue(v)));
    }
    if (event.getBreadcrumbs() != null) {
      for (Breadcrumb crumb : event.getBreadcrumbs()) {
        crumb.setMessage(redactor.redact(crumb.getMessage()));
        new TreeMap<>(crumb.getData()).forEach((k, v) -> crumb.setData(k, scrubValue(v)));
      }
    }
    for (Map.Entry<String, Object> context : event.getContexts().entrySet()) {
      if (context.getValue() instanceof Map<?, ?> map) {
        context.setValue(scrubMap(map));
      }
    }
    return event;
  }

  private void scrubRequest(Request request) {
    if (request == null) {
      return;
    }
    request.setData(null);
    request.setCookies(null);
    request.setBodySize(null);
    request.setUrl(SensitiveParameters.mask(redactor.redact(request.getUrl())));
    request.setQueryString(SensitiveParameters.mask(redactor.redact(request.getQueryString())));
    if (request.getHeaders() != null) {
      Map<String, String> kept = new TreeMap<>();
      request
          .getHeaders()
          .forEach(
              (name, value) -> {
                if (KEPT_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                  kept.put(name, SensitiveParameters.mask(redactor.redact(value)));
                }
              });
      request.setHeaders(kept);
    }
    request.setEnvs(null);
  }

  private Object scrubValue(Object value) {
    if (value instanceof String text) {
      return redactor.redact(text);
    }
    if (value instanceof Map<?, ?> map) {
      return scrubMap(map);
    }
    if (value instanceof List<?> list) {
      List<Object> scrubbed = new ArrayList<>();
      list.forEach(item -> scrubbed.add(scrubValue(item)));
      return scrubbed;
    }
    if (value == null || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    String text = value.toString();
    return redactor.containsSecret(text) ? Secret.REDACTED : value;
  }

  private Map<String, Object> scrubMap(Map<?, ?> map) {
    Map<String, Object> scrubbed = new TreeMap<>();
    map.forEach((k, v) -> scrubbed.put(String.valueOf(k), scrubValue(v)));
    return scrubbed;
  }
}
