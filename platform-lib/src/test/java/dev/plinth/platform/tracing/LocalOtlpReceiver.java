package dev.plinth.platform.tracing;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver ({@code POST /v1/traces}, protobuf, as a collector takes it): decodes
 * each export with the OTLP protos and keeps its spans. Shared with the modes' tests, which point
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} at {@link #endpoint()}.
 */
public final class LocalOtlpReceiver implements AutoCloseable {
  /** One received span, ids in lowercase hex as W3C headers and log lines write them. */
  public record ReceivedSpan(
      String service,
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      Span.SpanKind kind,
      Map<String, String> attributes,
      boolean error) {}

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

  public LocalOtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The value for {@code OTEL_EXPORTER_OTLP_ENDPOINT} (the SDK appends {@code /v1/traces}). */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /** The spans named {@code name}. */
  public List<ReceivedSpan> named(String name) {
    return spans.stream().filter(s -> s.name().equals(name)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      InputStream body = exchange.getRequestBody();
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        body = new GZIPInputStream(body);
      }
      if (!exchange.getRequestURI().getPath().equals("/v1/traces")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
      for (ResourceSpans resource : request.getResourceSpansList()) {
        String service = attributes(resource.getResource().getAttributesList()).get("service.name");
        for (ScopeSpans scope : resource.getScopeSpansList()) {
          for (Span span : scope.getSpansList()) {
            spans.add(
                new ReceivedSpan(
                    service,
                    hex(span.getTraceId()),
                    hex(span.getSpanId()),
                    hex(span.getParentSpanId()),
                    span.getName(),
                    span.getKind(),
                    attributes(span.getAttributesList()),
                    span.getStatus().getCode()
                        == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR));
          }
        }
      }
      byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
    }
  }

  private static Map<String, String> attributes(List<KeyValue> values) {
    Map<String, String> map = new LinkedHashMap<>();
    for (KeyValue value : values) {
      var any = value.getValue();
      map.put(
          value.getKey(),
          switch (any.getValueCase()) {
            case STRING_VALUE -> any.getStringValue();
            case INT_VALUE -> Long.toString(any.getIntValue());
            case BOOL_VALUE -> Boolean.toString(any.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(any.getDoubleValue());
            default -> any.toString();
          });
    }
    return map;
  }

  private static String hex(ByteString bytes) {
    return bytes.isEmpty() ? "" : HexFormat.of().formatHex(bytes.toByteArray());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
