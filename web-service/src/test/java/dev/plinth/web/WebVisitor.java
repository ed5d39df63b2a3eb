package dev.plinth.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser-like client for tests: keeps the session cookie it is given and sends it to whichever
 * instance it visits next, as a load balancer would spread one visitor over instances.
 */
final class WebVisitor {
  private static final Pattern SESSION_COOKIE = Pattern.compile("SESSION=([^;]+)");
  private static final Pattern YOUR_VISITS =
      Pattern.compile("<strong id=\"your-visits\">(\\d+)</strong>");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private String sessionCookie;

  /** A visitor that sends {@code sessionId} as its cookie, as if it had stolen or planted it. */
  static WebVisitor withSession(String sessionId) {
    WebVisitor visitor = new WebVisitor();
    visitor.sessionCookie = sessionId;
    return visitor;
  }

  /** The session id this visitor sends; null before it was given one. */
  String sessionId() {
    return sessionCookie;
  }

  /** This visitor's own count on the hello page of the instance on {@code port}. */
  long visitHello(int port) {
    HttpResponse<String> page = send(port, HttpRequest.newBuilder().GET(), "/");
    if (page.statusCode() != 200) {
      throw new AssertionError("GET / answered " + page.statusCode() + ": " + page.body());
    }
    Matcher yours = YOUR_VISITS.matcher(page.body());
    if (!yours.find()) {
      throw new AssertionError("no visitor count on the hello page: " + page.body());
    }
    return Long.parseLong(yours.group(1));
  }

  HttpResponse<String> get(int port, String path) {
    return send(port, HttpRequest.newBuilder().GET(), path);
  }

  HttpResponse<String> sendJson(int port, String method, String path, String json) {
    return send(
        port,
        HttpRequest.newBuilder()
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json)),
        path);
  }

  /** As {@link #sendJson(int, String, String, String)}, with {@code headers} besides. */
  HttpResponse<String> sendJson(
      int port, String method, String path, String json, java.util.Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder()
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json));
    headers.forEach(request::header);
    return send(port, request, path);
  }

  HttpResponse<String> send(int port, HttpRequest.Builder request, String path) {
    request.uri(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
    if (sessionCookie != null) {
      request.header("Cookie", "SESSION=" + sessionCookie);
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      setCookie(response).ifPresent(this::remember);
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(path + " on port " + port + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Optional<String> setCookie(HttpResponse<?> response) {
    return response.headers().allValues("Set-Cookie").stream()
        .filter(header -> header.startsWith("SESSION="))
        .findFirst();
  }

  private void remember(String header) {
    Matcher matcher = SESSION_COOKIE.matcher(header);
    if (matcher.find()) {
      sessionCookie = matcher.group(1);
    }
  }
}
