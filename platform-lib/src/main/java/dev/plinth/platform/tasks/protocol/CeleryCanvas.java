package dev.plinth.platform.tasks.protocol;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a Celery message's embed asks for after its run (docs/tasks.md, "Canvas"): on success the
 * next step of its {@code chain}, which receives the result as its first argument (unless the
 * signature is immutable) and carries the rest of the chain on, and every {@code callbacks} ({@code
 * link}) signature, given the result too; after a failure for good, every {@code errbacks} ({@code
 * link_error}) signature, given the failed task's id, as a Celery worker sends an errback it cannot
 * call in process. Each signature's own options (task id, queue or routing key, countdown, eta,
 * expires, time limit, reply_to, its own link and link_error) are honoured.
 *
 * <p>A chord header part ({@code chord} in the embed, with its {@code group} and {@code
 * group_index}) is read by {@link #chordPart}; its body is built by {@link #chordBody} once the run
 * state counted every part. {@link #signature} writes a Plinth producer's step as Celery writes a
 * signature. Signatures of a group, chord or nested chain inside a chain or link are not run here:
 * {@link UnsupportedStep} names them, so the worker can fail the waiting caller instead of leaving
 * the workflow stopped halfway.
 */
@Singleton
public final class CeleryCanvas {
  /** A message to publish to {@code queue} (null: the default task queue). */
  public record Step(String queue, TaskMessage message) {}

  /** A signature of a kind this worker does not run: a group, a chord or a nested chain. */
  public static final class UnsupportedStep extends Exception {
    private static final long serialVersionUID = 1L;

    /** The task ids a caller may be waiting on, with the queues their replies go to. */
    private final transient Map<String, String> waiting;

    public UnsupportedStep(String message, Map<String, String> waiting) {
      super(message);
      this.waiting = Map.copyOf(waiting);
    }

    /** Task id to {@code reply_to}, for each frozen signature of the rest of the workflow. */
    public Map<String, String> waiting() {
      return waiting;
    }
  }

  private final JsonMapper json;

  public CeleryCanvas(JsonMapper json) {
    this.json = json;
  }

  /** The steps to publish once {@code message} succeeded with {@code result}. */
  public List<Step> afterSuccess(TaskMessage message, Object result)
      throws IOException, UnsupportedStep {
    JsonNode value = json.writeValueToTree(result);
    List<Step> steps = new ArrayList<>();
    JsonNode chain = field(message.embed(), "chain");
    if (chain != null && chain.isArray() && chain.size() > 0) {
      // Celery keeps a chain's remaining steps last-first: the next one is at the end.
      List<JsonNode> rest = new ArrayList<>();
      for (int i = 0; i < chain.size() - 1; i++) {
        rest.add(chain.get(i));
      }
      JsonNode next = chain.get(chain.size() - 1);
      steps.add(
          step(
              message,
              derivedId(message.id(), "chain"),
              next,
              value,
              JsonNode.createArrayNode(rest),
              chain));
    }
    List<JsonNode> callbacks = signatures(field(message.embed(), "callbacks"));
    for (int i = 0; i < callbacks.size(); i++) {
      JsonNode callback = callbacks.get(i);
      steps.add(
          step(
              message,
              derivedId(message.id(), "link:" + i),
              callback,
              value,
              JsonNode.nullNode(),
              callback));
    }
    return steps;
  }

  /** The errback steps to publish once {@code message} failed for good. */
  public List<Step> afterFailure(TaskMessage message) throws UnsupportedStep {
    List<Step> steps = new ArrayList<>();
    List<JsonNode> errbacks = signatures(field(message.embed(), "errbacks"));
    JsonNode failed = JsonNode.createStringNode(message.id());
    for (int i = 0; i < errbacks.size(); i++) {
      JsonNode errback = errbacks.get(i);
      steps.add(
          step(
              message,
              derivedId(message.id(), "link_error:" + i),
              errback,
              failed,
              JsonNode.nullNode(),
              errback));
    }
    return steps;
  }

  /**
   * A chord header task's place: its group, its index in it, the header's size (the body's {@code
   * chord_size}, as Celery writes it) and the body signature.
   */
  public record ChordPart(String groupId, int index, int size, JsonNode body) {}

  /**
   * The chord {@code message} is a header part of (its embed's {@code chord}), or null.
   *
   * @throws UnsupportedStep when the chord cannot be counted: no group, index or size
   */
  public static ChordPart chordPart(TaskMessage message) throws UnsupportedStep {
    JsonNode body = field(message.embed(), "chord");
    if (body == null || !body.isObject()) {
      return null;
    }
    JsonNode size = field(body, "chord_size");
    if (message.groupId() == null
        || message.groupIndex() == null
        || size == null
        || !size.isNumber()
        || size.getIntValue() < 1
        || message.groupIndex() < 0
        || message.groupIndex() >= size.getIntValue()) {
      throw new UnsupportedStep(
          "chord part "
              + message.id()
              + " has no group, group_index or chord_size a Plinth worker can count it by",
          waiting(body));
    }
    return new ChordPart(message.groupId(), message.groupIndex(), size.getIntValue(), body);
  }

  /** The body of {@code chord}, given every header result in order, published by {@code last}. */
  public Step chordBody(TaskMessage last, ChordPart chord, List<JsonNode> results)
      throws UnsupportedStep {
    return step(
        last,
        derivedId(chord.groupId(), "chord"),
        chord.body(),
        JsonNode.createArrayNode(results),
        JsonNode.nullNode(),
        chord.body());
  }

  /**
   * The Celery signature of {@code message} (a Plinth producer's step; its id frozen), so that any
   * worker, Plinth's or Celery's, can run it: {@code options} carry its id, queue, eta, expiry,
   * limits, priority, reply queue and Plinth's retry settings; {@code chordSize} is set on a chord
   * body.
   */
  public static JsonNode signature(
      TaskMessage message, String queue, boolean immutable, Integer chordSize) {
    Map<String, JsonNode> options = new HashMap<>();
    options.put("task_id", JsonNode.createStringNode(message.id()));
    putIfSet(options, "queue", queue == null ? null : JsonNode.createStringNode(queue));
    putIfSet(
        options,
        "eta",
        message.eta() == null
            ? null
            : JsonNode.createStringNode(CeleryProtocol.iso(message.eta())));
    putIfSet(
        options,
        "expires",
        message.expires() == null
            ? null
            : JsonNode.createStringNode(CeleryProtocol.iso(message.expires())));
    putIfSet(options, "time_limit", number(message.timeLimitSeconds()));
    putIfSet(options, "soft_time_limit", number(message.softTimeLimitSeconds()));
    putIfSet(options, "priority", number(message.priority()));
    putIfSet(
        options,
        "reply_to",
        message.replyTo() == null ? null : JsonNode.createStringNode(message.replyTo()));
    putIfSet(options, "plinth_max_retries", number(message.maxRetries()));
    putIfSet(options, "plinth_backoff_ms", number(message.backoffMillis()));
    putIfSet(options, "plinth_backoff_multiplier", number(message.backoffMultiplier()));
    Map<String, JsonNode> signature = new HashMap<>();
    signature.put("task", JsonNode.createStringNode(message.name()));
    signature.put("args", message.args());
    signature.put("kwargs", message.kwargs());
    signature.put("options", JsonNode.createObjectNode(options));
    signature.put("subtask_type", JsonNode.nullNode());
    signature.put("immutable", JsonNode.createBooleanNode(immutable));
    if (chordSize != null) {
      signature.put("chord_size", JsonNode.createNumberNode(chordSize));
    }
    return JsonNode.createObjectNode(signature);
  }

  private static void putIfSet(Map<String, JsonNode> map, String key, JsonNode value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  private static JsonNode number(Number value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Double d) {
      return JsonNode.createNumberNode(d);
    }
    return value instanceof Long l
        ? JsonNode.createNumberNode(l)
        : JsonNode.createNumberNode(value.intValue());
  }

  /** True when the embed asks for anything after the run: most messages carry none. */
  public static boolean hasSteps(TaskMessage message) {
    JsonNode embed = message.embed();
    if (embed == null || !embed.isObject()) {
      return false;
    }
    for (String key : List.of("chain", "callbacks", "errbacks", "chord")) {
      JsonNode value = embed.get(key);
      if (value != null && !value.isNull() && !(value.isArray() && value.size() == 0)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The message for {@code signature}; {@code defaultId}, derived from its place in the workflow,
   * is its id when the signature has no frozen one, so that it gets the same id each time.
   */
  private Step step(
      TaskMessage parent,
      String defaultId,
      JsonNode signature,
      JsonNode first,
      JsonNode chain,
      JsonNode workflow)
      throws UnsupportedStep {
    String task = text(signature, "task");
    JsonNode type = field(signature, "subtask_type");
    if (task == null || (type != null && !type.isNull())) {
      throw new UnsupportedStep(
          "canvas step "
              + (type != null && !type.isNull() ? type.getStringValue() + " " : "")
              + (task == null ? "without a task name" : task)
              + " is not run by a Plinth worker (only plain signatures in chains, links and"
              + " link_errors are)",
          waiting(workflow));
    }
    JsonNode options = object(field(signature, "options"));
    List<JsonNode> args = new ArrayList<>();
    JsonNode immutable = field(signature, "immutable");
    if (immutable == null || !immutable.isBoolean() || !immutable.getBooleanValue()) {
      args.add(first);
    }
    JsonNode given = field(signature, "args");
    if (given != null && given.isArray()) {
      given.values().forEach(args::add);
    }
    String id = text(options, "task_id");
    String replyTo = text(options, "reply_to");
    JsonNode backoff = field(options, "plinth_backoff_ms");
    Map<String, JsonNode> embed = new HashMap<>();
    embed.put("chain", chain);
    embed.put("callbacks", listOrNull(field(options, "link")));
    embed.put("errbacks", listOrNull(field(options, "link_error")));
    embed.put("chord", JsonNode.nullNode());
    TaskMessage message =
        TaskMessage.builder(id == null ? defaultId : id, task)
            .args(JsonNode.createArrayNode(args))
            .kwargs(object(field(signature, "kwargs")))
            .embed(JsonNode.createObjectNode(embed))
            .eta(eta(options))
            .expires(expires(options))
            .timeLimitSeconds(seconds(options, "time_limit"))
            .softTimeLimitSeconds(seconds(options, "soft_time_limit"))
            .priority(integer(options, "priority"))
            .maxRetries(integer(options, "plinth_max_retries"))
            .backoffMillis(backoff == null || !backoff.isNumber() ? null : backoff.getLongValue())
            .backoffMultiplier(seconds(options, "plinth_backoff_multiplier"))
            .replyTo(replyTo)
            .ignoreResult(replyTo == null)
            .rootId(parent.rootId() == null ? parent.id() : parent.rootId())
            .parentId(parent.id())
            .rid(parent.rid())
            .traceparent(parent.traceparent())
            .tracestate(parent.tracestate())
            .enqueuedAt(Instant.now())
            .build();
    String queue = text(options, "queue");
    return new Step(queue != null ? queue : text(options, "routing_key"), message);
  }

  private static String derivedId(String parentId, String role) {
    return UUID.nameUUIDFromBytes((parentId + "/" + role).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /** Every frozen signature of {@code workflow} (a signature or a list of them): id to reply_to. */
  public static Map<String, String> waiting(JsonNode workflow) {
    Map<String, String> waiting = new HashMap<>();
    for (JsonNode signature : signatures(workflow)) {
      JsonNode options = object(field(signature, "options"));
      String id = text(options, "task_id");
      String replyTo = text(options, "reply_to");
      if (id != null && replyTo != null) {
        waiting.put(id, replyTo);
      }
      JsonNode kwargs = object(field(signature, "kwargs"));
      // A nested chain, group or chord keeps its own signatures under kwargs.tasks.
      waiting.putAll(waiting(field(kwargs, "tasks")));
    }
    return waiting;
  }

  private static Integer integer(JsonNode options, String key) {
    JsonNode value = field(options, key);
    return value != null && value.isNumber() ? Integer.valueOf(value.getIntValue()) : null;
  }

  private static Double seconds(JsonNode options, String key) {
    JsonNode value = field(options, key);
    return value != null && value.isNumber() ? value.getDoubleValue() : null;
  }

  private static Instant eta(JsonNode options) {
    JsonNode countdown = field(options, "countdown");
    if (countdown != null && countdown.isNumber()) {
      return Instant.now().plus(Duration.ofMillis((long) (countdown.getDoubleValue() * 1000)));
    }
    String eta = text(options, "eta");
    return eta == null ? null : CeleryProtocol.parseTimestamp(eta);
  }

  private static Instant expires(JsonNode options) {
    JsonNode expires = field(options, "expires");
    if (expires != null && expires.isNumber()) {
      return Instant.now().plus(Duration.ofMillis((long) (expires.getDoubleValue() * 1000)));
    }
    String at = text(options, "expires");
    return at == null ? null : CeleryProtocol.parseTimestamp(at);
  }

  /** A signature list: null, one signature object, or an array of them. */
  private static List<JsonNode> signatures(JsonNode value) {
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (value.isObject()) {
      return List.of(value);
    }
    List<JsonNode> list = new ArrayList<>();
    if (value.isArray()) {
      value.values().forEach(list::add);
    }
    return list;
  }

  private static JsonNode listOrNull(JsonNode value) {
    List<JsonNode> list = signatures(value);
    return list.isEmpty() ? JsonNode.nullNode() : JsonNode.createArrayNode(list);
  }

  private static JsonNode field(JsonNode node, String key) {
    return node != null && node.isObject() ? node.get(key) : null;
  }

  private static JsonNode object(JsonNode node) {
    return node != null && node.isObject() ? node : JsonNode.createObjectNode(Map.of());
  }

  private static String text(JsonNode node, String key) {
    JsonNode value = field(node, key);
    return value != null && value.isString() ? value.getStringValue() : null;
  }
}
