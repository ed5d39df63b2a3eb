package dev.plinth.platform.sentry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * Receives what the Sentry SDK sends ({@code POST /api/PROJECT/envelope/}, gzip or not) and keeps
 * each envelope as text: a header line, then item header and payload lines. Shared with the modes'
 * tests (a mode run as a process sends here by its {@code SENTRY_DSN}).
 */
public final class LocalSentryServer implements AutoCloseable {
  private final HttpServer server;
  private final List<String> envelopes = new CopyOnWriteArrayList<>();

  public LocalSentryServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.start();
  }

  public String dsn() {
    return "http://plinthkey@127.0.0.1:" + server.getAddress().getPort() + "/1";
  }

  public List<String> envelopes() {
    return List.copyOf(envelopes);
  }

  /** The payloads of the envelopes' {@code event} items. */
  public List<String> events() {
    return envelopes.stream()
        .filter(e -> e.contains("\"type\":\"event\""))
        .map(
            e ->
                e.lines()
                    .filter(l -> l.contains("\"event_id\"") && l.contains("\"level\""))
                    .findFirst()
                    .orElse(e))
        .toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      InputStream body = exchange.getRequestBody();
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        body = new GZIPInputStream(body);
      }
      String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
      if (exchange.getRequestURI().getPath().equals("/api/1/envelope/")) {
        envelopes.add(text);
      }
      byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
