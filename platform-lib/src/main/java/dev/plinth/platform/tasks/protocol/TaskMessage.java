package dev.plinth.platform.tasks.protocol;

import io.micronaut.json.tree.JsonNode;
import java.time.Instant;

/**
 * One task message in Celery protocol v2 terms (docs/tasks.md "Envelope"), decoded from or about to
 * become an AMQP message. Fields Celery does not have travel in {@code plinth_*} headers, which a
 * Celery worker ignores.
 *
 * @param id task id ({@code id} header, {@code correlation_id}); the run id
 * @param name task name ({@code task} header)
 * @param args positional arguments (JSON array)
 * @param kwargs keyword arguments (JSON object)
 * @param embed Celery's {@code {callbacks, errbacks, chain, chord}}, passed through
 * @param retries retries so far ({@code retries} header); attempt = retries + 1
 * @param eta not before this instant, or null
 * @param expires not after this instant, or null
 * @param timeLimitSeconds hard time limit ({@code timelimit[0]}), or null for the default
 * @param softTimeLimitSeconds soft time limit ({@code timelimit[1]}), or null for none
 * @param rid request id ({@code rid} header), or null
 * @param replyTo where the result goes ({@code reply_to}), or null
 * @param ignoreResult publish no result
 * @param rootId workflow root ({@code root_id})
 * @param parentId parent task ({@code parent_id}), or null
 * @param maxRetries {@code plinth_max_retries}, or null for the default
 * @param backoffMillis {@code plinth_backoff_ms}, or null for the default
 * @param backoffMultiplier {@code plinth_backoff_multiplier}, or null for the default
 * @param enqueuedAt {@code plinth_enqueued_at}: first publication, for queue-wait figures
 * @param rateReserved {@code plinth_rate_reserved}: its rate-limit slot is taken already
 * @param priority the AMQP {@code priority} (0 when null), on a priority queue
 * @param traceparent W3C {@code traceparent} header (the publishing span), or null
 * @param tracestate W3C {@code tracestate} header, or null
 * @param groupId the group this task is a member of ({@code group}), or null: a chord's header
 *     counts its parts by it
 * @param groupIndex its place in that group ({@code group_index}), or null
 * @param uid {@code plinth_uid}: the authenticated user it runs on behalf of, or null
 */
public record TaskMessage(
    String id,
    String name,
    JsonNode args,
    JsonNode kwargs,
    JsonNode embed,
    int retries,
    Instant eta,
    Instant expires,
    Double timeLimitSeconds,
    Double softTimeLimitSeconds,
    String rid,
    String replyTo,
    boolean ignoreResult,
    String rootId,
    String parentId,
    Integer maxRetries,
    Long backoffMillis,
    Double backoffMultiplier,
    Instant enqueuedAt,
    boolean rateReserved,
    Integer priority,
    String traceparent,
    String tracestate,
    String groupId,
    Integer groupIndex,
    String uid) {

  public int attempt() {
    return retries + 1;
  }

  /** The same task again, one retry further, not before {@code at}. */
  public TaskMessage retryAt(Instant at) {
    return toBuilder().retries(retries + 1).eta(at).rateReserved(false).build();
  }

  /** A message named by its id and task name; everything else is set by name, not position. */
  public static Builder builder(String id, String name) {
    return new Builder().id(id).name(name);
  }

  /** A builder holding every field of this message, to change some. */
  public Builder toBuilder() {
    return new Builder()
        .id(id)
        .name(name)
        .args(args)
        .kwargs(kwargs)
        .embed(embed)
        .retries(retries)
        .eta(eta)
        .expires(expires)
        .timeLimitSeconds(timeLimitSeconds)
        .softTimeLimitSeconds(softTimeLimitSeconds)
        .rid(rid)
        .replyTo(replyTo)
        .ignoreResult(ignoreResult)
        .rootId(rootId)
        .parentId(parentId)
        .maxRetries(maxRetries)
        .backoffMillis(backoffMillis)
        .backoffMultiplier(backoffMultiplier)
        .enqueuedAt(enqueuedAt)
        .rateReserved(rateReserved)
        .priority(priority)
        .traceparent(traceparent)
        .tracestate(tracestate)
        .groupId(groupId)
        .groupIndex(groupIndex)
        .uid(uid);
  }

  /** Builds a {@link TaskMessage} field by field. */
  public static final class Builder {
    private String id;
    private String name;
    private JsonNode args;
    private JsonNode kwargs;
    private JsonNode embed;
    private int retries;
    private Instant eta;
    private Instant expires;
    private Double timeLimitSeconds;
    private Double softTimeLimitSeconds;
    private String rid;
    private String replyTo;
    private boolean ignoreResult;
    private String rootId;
    private String parentId;
    private Integer maxRetries;
    private Long backoffMillis;
    private Double backoffMultiplier;
    private Instant enqueuedAt;
    private boolean rateReserved;
    private Integer priority;
    private String traceparent;
    private String tracestate;
    private String groupId;
    private Integer groupIndex;
    private String uid;

    private Builder() {}

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder args(JsonNode args) {
      this.args = args;
      return this;
    }

    public Builder kwargs(JsonNode kwargs) {
      this.kwargs = kwargs;
      return this;
    }

    public Builder embed(JsonNode embed) {
      this.embed = embed;
      return this;
    }

    public Builder retries(int retries) {
      this.retries = retries;
      return this;
    }

    public Builder eta(Instant eta) {
      this.eta = eta;
      return this;
    }

    public Builder expires(Instant expires) {
      this.expires = expires;
      return this;
    }

    public Builder timeLimitSeconds(Double timeLimitSeconds) {
      this.timeLimitSeconds = timeLimitSeconds;
      return this;
    }

    public Builder rid(String rid) {
      this.rid = rid;
      return this;
    }

    public Builder replyTo(String replyTo) {
      this.replyTo = replyTo;
      return this;
    }

    public Builder ignoreResult(boolean ignoreResult) {
      this.ignoreResult = ignoreResult;
      return this;
    }

    public Builder rootId(String rootId) {
      this.rootId = rootId;
      return this;
    }

    public Builder parentId(String parentId) {
      this.parentId = parentId;
      return this;
    }

    public Builder maxRetries(Integer maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    public Builder backoffMillis(Long backoffMillis) {
      this.backoffMillis = backoffMillis;
      return this;
    }

    public Builder backoffMultiplier(Double backoffMultiplier) {
      this.backoffMultiplier = backoffMultiplier;
      return this;
    }

    public Builder enqueuedAt(Instant enqueuedAt) {
      this.enqueuedAt = enqueuedAt;
      return this;
    }

    public Builder softTimeLimitSeconds(Double softTimeLimitSeconds) {
      this.softTimeLimitSeconds = softTimeLimitSeconds;
      return this;
    }

    public Builder rateReserved(boolean rateReserved) {
      this.rateReserved = rateReserved;
      return this;
    }

    public Builder priority(Integer priority) {
      this.priority = priority;
      return this;
    }

    public Builder traceparent(String traceparent) {
      this.traceparent = traceparent;
      return this;
    }

    public Builder tracestate(String tracestate) {
      this.tracestate = tracestate;
      return this;
    }

    public Builder groupId(String groupId) {
      this.groupId = groupId;
      return this;
    }

    public Builder groupIndex(Integer groupIndex) {
      this.groupIndex = groupIndex;
      return this;
    }

    public Builder uid(String uid) {
      this.uid = uid;
      return this;
    }

    public TaskMessage build() {
      return new TaskMessage(
          id,
          name,
          args,
          kwargs,
          embed,
          retries,
          eta,
          expires,
          timeLimitSeconds,
          softTimeLimitSeconds,
          rid,
          replyTo,
          ignoreResult,
          rootId,
          parentId,
          maxRetries,
          backoffMillis,
          backoffMultiplier,
          enqueuedAt,
          rateReserved,
          priority,
          traceparent,
          tracestate,
          groupId,
          groupIndex,
          uid);
    }
  }
}
