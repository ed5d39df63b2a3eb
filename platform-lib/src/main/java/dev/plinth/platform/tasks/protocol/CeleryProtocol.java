package dev.plinth.platform.tasks.protocol;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import dev.plinth.platform.logging.RequestIds;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Celery task protocol v2 on AMQP, both ways (docs/tasks.md, "Envelope"): task messages (headers,
 * properties, the {@code [args, kwargs, embed]} body) and {@code rpc://} replies. Framework free
 * apart from the JSON mapper, so tests and tools use it as Plinth does. A little over the house's
 * 400 lines: encoding, decoding and the replies are one format, read best side by side.
 */
@Singleton
public final class CeleryProtocol {
  public static final String JSON = "application/json";
  public static final String UTF_8 = "utf-8";

  /** Python's isoformat(): exactly six fractional digits and an explicit offset. */
  private static final DateTimeFormatter PYTHON_ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

  private final JsonMapper json;

  public CeleryProtocol(JsonMapper json) {
    this.json = json;
  }

  /** A message ready for {@code basicPublish}. */
  public record Encoded(AMQP.BasicProperties properties, byte[] body) {}

  /** The task message for {@code payload}: an object payload becomes the kwargs. */
  public TaskMessage newMessage(
      String id, String name, Object payload, String rid, String replyTo, Instant eta)
      throws IOException {
    JsonNode tree = json.writeValueToTree(payload);
    JsonNode args = JsonNode.createArrayNode(List.of());
    JsonNode kwargs = JsonNode.createObjectNode(Map.of());
    if (tree.isObject()) {
      kwargs = tree;
    } else {
      args = JsonNode.createArrayNode(List.of(tree));
    }
    return TaskMessage.builder(id, name)
        .args(args)
        .kwargs(kwargs)
        .embed(emptyEmbed())
        .eta(eta)
        .rid(rid)
        .replyTo(replyTo)
        .rootId(id)
        .enqueuedAt(Instant.now())
        .build();
  }

  public Encoded encode(TaskMessage m) throws IOException {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("lang", "java");
    headers.put("task", m.name());
    headers.put("id", m.id());
    headers.put("shadow", null);
    headers.put("eta", m.eta() == null ? null : iso(m.eta()));
    headers.put("expires", m.expires() == null ? null : iso(m.expires()));
    headers.put("group", m.groupId());
    headers.put("group_index", m.groupIndex());
    headers.put("retries", m.retries());
    List<Object> timelimit = new ArrayList<>();
    timelimit.add(m.timeLimitSeconds());
    timelimit.add(m.softTimeLimitSeconds());
    headers.put("timelimit", timelimit);
    headers.put("root_id", m.rootId() == null ? m.id() : m.rootId());
    headers.put("parent_id", m.parentId());
    String args = json.writeValueAsString(m.args());
    String kwargs = json.writeValueAsString(m.kwargs());
    headers.put("argsrepr", truncate(args));
    headers.put("kwargsrepr", truncate(kwargs));
    headers.put("origin", "plinth@" + host());
    headers.put("ignore_result", m.ignoreResult());
    putIfSet(headers, "rid", m.rid());
    putIfSet(headers, "plinth_max_retries", m.maxRetries());
    putIfSet(headers, "plinth_backoff_ms", m.backoffMillis());
    putIfSet(headers, "plinth_backoff_multiplier", m.backoffMultiplier());
    putIfSet(headers, "plinth_enqueued_at", m.enqueuedAt() == null ? null : iso(m.enqueuedAt()));
    putIfSet(headers, "plinth_rate_reserved", m.rateReserved() ? Boolean.TRUE : null);
    putIfSet(headers, "plinth_uid", m.uid());
    // W3C trace context where opentelemetry-instrumentation-celery puts it: message headers.
    putIfSet(headers, "traceparent", m.traceparent());
    putIfSet(headers, "tracestate", m.tracestate());
    AMQP.BasicProperties properties =
        new AMQP.BasicProperties.Builder()
            .contentType(JSON)
            .contentEncoding(UTF_8)
            .correlationId(m.id())
            .replyTo(m.replyTo())
            .deliveryMode(2)
            .priority(m.priority() == null ? 0 : m.priority())
            .headers(headers)
            .build();
    List<JsonNode> body = List.of(m.args(), m.kwargs(), m.embed());
    return new Encoded(properties, json.writeValueAsBytes(JsonNode.createArrayNode(body)));
  }

  /**
   * Decodes a delivery.
   *
   * @throws PoisonMessageException when no run of any handler could accept it
   */
  public TaskMessage decode(AMQP.BasicProperties properties, byte[] body)
      throws PoisonMessageException {
    Map<String, Object> headers =
        properties.getHeaders() == null ? Map.of() : properties.getHeaders();
    String name = string(headers.get("task"));
    String id = string(headers.get("id"));
    if (name == null || name.isBlank()) {
      throw new PoisonMessageException(
          "missing-header", "no 'task' header: not a Celery protocol v2 message");
    }
    if (id == null || id.isBlank()) {
      throw new PoisonMessageException("missing-header", "no 'id' header");
    }
    HeaderLimits.taskName(name);
    HeaderLimits.id("id", id);
    if (!JSON.equals(properties.getContentType())) {
      throw new PoisonMessageException(
          "unsupported-content-type",
          "content type " + properties.getContentType() + " (only " + JSON + " is accepted)");
    }
    if (headers.get("compression") != null) {
      throw new PoisonMessageException("unsupported-compression", "compressed bodies");
    }
    JsonNode tree;
    try {
      tree = json.readValue(body, JsonNode.class);
    } catch (IOException | RuntimeException e) {
      throw new PoisonMessageException("not-json", "body is not JSON: " + e.getMessage(), e);
    }
    if (tree == null || !tree.isArray() || tree.size() != 3) {
      throw new PoisonMessageException(
          "bad-body", "body is not a 3-element [args, kwargs, embed] array");
    }
    JsonNode args = tree.get(0);
    JsonNode kwargs = tree.get(1);
    if (!args.isArray() || !kwargs.isObject()) {
      throw new PoisonMessageException(
          "bad-body", "args must be a JSON array and kwargs a JSON object");
    }
    Double hard = null;
    Double soft = null;
    if (headers.get("timelimit") instanceof List<?> limits) {
      hard = !limits.isEmpty() && limits.get(0) instanceof Number n ? n.doubleValue() : null;
      soft = limits.size() > 1 && limits.get(1) instanceof Number n ? n.doubleValue() : null;
    }
    // As the HTTP side does: a request id that is not a sane one is replaced, not trusted or fatal.
    String rid = string(headers.get("rid"));
    rid = rid == null ? null : RequestIds.acceptOrGenerate(rid);
    String replyTo = properties.getReplyTo();
    return TaskMessage.builder(id, name)
        .args(args)
        .kwargs(kwargs)
        .embed(tree.get(2))
        .retries(headers.get("retries") instanceof Number n ? n.intValue() : 0)
        .eta(instant(headers, "eta"))
        .expires(instant(headers, "expires"))
        .timeLimitSeconds(hard)
        .priority(properties.getPriority())
        .softTimeLimitSeconds(soft)
        .rid(rid)
        .replyTo(replyTo == null || replyTo.isBlank() ? null : replyTo)
        .ignoreResult(Boolean.TRUE.equals(headers.get("ignore_result")))
        .rootId(HeaderLimits.optionalId("root_id", string(headers.get("root_id"))))
        .parentId(HeaderLimits.optionalId("parent_id", string(headers.get("parent_id"))))
        .maxRetries(headers.get("plinth_max_retries") instanceof Number n ? n.intValue() : null)
        .backoffMillis(headers.get("plinth_backoff_ms") instanceof Number n ? n.longValue() : null)
        .backoffMultiplier(
            headers.get("plinth_backoff_multiplier") instanceof Number n ? n.doubleValue() : null)
        .enqueuedAt(instant(headers, "plinth_enqueued_at"))
        .rateReserved(Boolean.TRUE.equals(headers.get("plinth_rate_reserved")))
        .traceparent(HeaderLimits.traceContext(string(headers.get("traceparent"))))
        .tracestate(HeaderLimits.traceContext(string(headers.get("tracestate"))))
        .groupId(HeaderLimits.optionalId("group", string(headers.get("group"))))
        .groupIndex(headers.get("group_index") instanceof Number n ? n.intValue() : null)
        .uid(HeaderLimits.uid(string(headers.get("plinth_uid"))))
        .build();
  }

  /**
   * Binds args/kwargs to the payload type: kwargs alone bind by name; a single object argument
   * binds as the payload; positional args bind to a record's components in order, and a null
   * keyword argument does not replace a positional one.
   */
  public <P> P bind(TaskMessage m, Class<P> type) throws PoisonMessageException {
    JsonNode source = m.kwargs();
    int positional = m.args().size();
    if (positional == 1 && m.args().get(0).isObject() && m.kwargs().size() == 0) {
      source = m.args().get(0);
    } else if (positional > 0) {
      RecordComponent[] components = type.getRecordComponents();
      if (components == null || positional > components.length) {
        throw new PoisonMessageException(
            "bad-payload", positional + " positional arguments do not fit " + type.getSimpleName());
      }
      Map<String, JsonNode> merged = new LinkedHashMap<>();
      for (int i = 0; i < positional; i++) {
        merged.put(components[i].getName(), m.args().get(i));
      }
      for (Map.Entry<String, JsonNode> e : m.kwargs().entries()) {
        // A workflow step's payload leaves null the component its parent's result fills.
        if (!e.getValue().isNull() || !merged.containsKey(e.getKey())) {
          merged.put(e.getKey(), e.getValue());
        }
      }
      source = JsonNode.createObjectNode(merged);
    }
    try {
      P payload = json.readValueFromTree(source, type);
      if (payload == null) {
        throw new PoisonMessageException("bad-payload", "empty payload");
      }
      return payload;
    } catch (IOException | RuntimeException e) {
      throw new PoisonMessageException(
          "bad-payload", "payload does not fit " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** An {@code rpc://} SUCCESS reply (docs/tasks.md, "Envelope": replies). */
  public Encoded successReply(String taskId, Object result) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("task_id", taskId);
    body.put("status", "SUCCESS");
    body.put("result", json.writeValueToTree(result));
    body.put("traceback", null);
    body.put("children", List.of());
    return reply(taskId, body);
  }

  /**
   * A FAILURE (or REVOKED/RETRY) reply. {@code excModule} "builtins" with a built-in type makes a
   * Python caller raise that type; any other module makes Celery synthesise a class of that name.
   */
  public Encoded failureReply(
      String taskId, String status, String excType, String excModule, String message, Throwable t)
      throws IOException {
    Map<String, Object> exc = new LinkedHashMap<>();
    exc.put("exc_type", excType);
    exc.put("exc_message", List.of(message == null ? "" : message));
    exc.put("exc_module", excModule);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("task_id", taskId);
    body.put("status", status);
    body.put("result", exc);
    body.put("traceback", t == null ? null : stackTrace(t));
    body.put("children", List.of());
    return reply(taskId, body);
  }

  private Encoded reply(String taskId, Map<String, Object> body) throws IOException {
    AMQP.BasicProperties properties =
        new AMQP.BasicProperties.Builder()
            .contentType(JSON)
            .contentEncoding(UTF_8)
            .correlationId(taskId)
            .deliveryMode(1)
            .priority(0)
            .build();
    return new Encoded(properties, json.writeValueAsBytes(body));
  }

  /** Decodes a reply body: its status, result and (for failures) the exception fields. */
  public JsonNode decodeReply(byte[] body) throws IOException {
    return json.readValue(body, JsonNode.class);
  }

  public static String iso(Instant instant) {
    return PYTHON_ISO.format(instant);
  }

  static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  public static String string(Object header) {
    if (header == null) {
      return null;
    }
    if (header instanceof LongString || header instanceof String) {
      return header.toString();
    }
    if (header instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    return String.valueOf(header);
  }

  private static Instant instant(Map<String, Object> headers, String key)
      throws PoisonMessageException {
    String value = string(headers.get(key));
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return parseTimestamp(value);
    } catch (DateTimeParseException e) {
      throw new PoisonMessageException(
          "bad-header", "header " + key + " is not an ISO-8601 timestamp with an offset");
    }
  }

  /**
   * An ISO-8601 date-time with an offset, as {@code OffsetDateTime.parse} reads it (a space instead
   * of the {@code T} allowed, as Python's {@code str(datetime)} writes it). Python's {@code
   * isoformat()} shape ({@code 2026-11-23T22:19:03.123456+00:00}, every header a Celery or Plinth
   * producer sends) is read by hand: {@code DateTimeFormatter} took a quarter of a worker's CPU per
   * no-op task. Anything else goes to {@code OffsetDateTime.parse}.
   */
  static Instant parseTimestamp(String value) {
    Instant fast = parsePythonIso(value);
    return fast != null ? fast : OffsetDateTime.parse(value.replace(" ", "T")).toInstant();
  }

  /** {@code yyyy-MM-dd[T ]HH:mm:ss[.f{1,9}](+|-)HH:MM}, or null when {@code v} is not that. */
  private static Instant parsePythonIso(String v) {
    int n = v.length();
    if (n < 25
        || v.charAt(4) != '-'
        || v.charAt(7) != '-'
        || (v.charAt(10) != 'T' && v.charAt(10) != ' ')
        || v.charAt(13) != ':'
        || v.charAt(16) != ':'
        || v.charAt(n - 3) != ':') {
      return null;
    }
    int year = digits(v, 0, 4);
    int month = digits(v, 5, 2);
    int day = digits(v, 8, 2);
    int hour = digits(v, 11, 2);
    int minute = digits(v, 14, 2);
    int second = digits(v, 17, 2);
    int nanos = 0;
    int i = 19;
    if (v.charAt(i) == '.') {
      int start = ++i;
      while (i < n && i - start < 9 && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
        nanos = nanos * 10 + (v.charAt(i) - '0');
        i++;
      }
      if (i == start) {
        return null;
      }
      for (int k = i - start; k < 9; k++) {
        nanos *= 10;
      }
    }
    char sign = v.charAt(i);
    if (i != n - 6 || (sign != '+' && sign != '-')) {
      return null;
    }
    int offsetHours = digits(v, i + 1, 2);
    int offsetMinutes = digits(v, i + 4, 2);
    if ((year | month | day | hour | minute | second | offsetHours | offsetMinutes) < 0
        || month < 1
        || month > 12
        || day < 1
        || (day > 28 && day > YearMonth.of(year, month).lengthOfMonth())
        || hour > 23
        || minute > 59
        || second > 59
        || offsetHours > 18
        || offsetMinutes > 59
        || offsetHours == 18 && offsetMinutes > 0) {
      return null;
    }
    long offset = (offsetHours * 3600L + offsetMinutes * 60L) * (sign == '-' ? -1 : 1);
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    long seconds = epochDay * 86_400 + hour * 3600L + minute * 60L + second - offset;
    return Instant.ofEpochSecond(seconds, nanos);
  }

  /** The decimal number in {@code v[from, from + count)}, or -1 when one is not a digit. */
  private static int digits(String v, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static JsonNode emptyEmbed() {
    Map<String, JsonNode> embed = new HashMap<>();
    for (String k : List.of("callbacks", "errbacks", "chain", "chord")) {
      embed.put(k, JsonNode.nullNode());
    }
    return JsonNode.createObjectNode(embed);
  }

  private static void putIfSet(Map<String, Object> headers, String key, Object value) {
    if (value != null) {
      headers.put(key, value);
    }
  }

  private static String truncate(String repr) {
    return repr.length() <= 1024 ? repr : repr.substring(0, 1021) + "...";
  }

  private static String host() {
    String host = System.getenv("HOSTNAME");
    return host == null || host.isBlank() ? "localhost" : host;
  }
}
