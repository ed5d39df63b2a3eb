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
 * @param rid request id ({@code rid} header), or null
 * @param replyTo where the result goes ({@code reply_to}), or null
 * @param ignoreResult publish no result
 * @param rootId workflow root ({@code root_id})
 * @param parentId parent task ({@code parent_id}), or null
 * @param maxRetries {@code plinth_max_retries}, or null for the default
 * @param backoffMillis {@code plinth_backoff_ms}, or null for the default
 * @param backoffMultiplier {@code plinth_backoff_multiplier}, or null for the default
 * @param enqueuedAt {@code plinth_enqueued_at}: first publication, for queue-wait figures
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
    String rid,
    String replyTo,
    boolean ignoreResult,
    String rootId,
    String parentId,
    Integer maxRetries,
    Long backoffMillis,
    Double backoffMultiplier,
    Instant enqueuedAt) {

  public int attempt() {
    return retries + 1;
  }

  /** The same task again, one retry further, not before {@code at}. */
  public TaskMessage retryAt(Instant at) {
    return new TaskMessage(
        id,
        name,
        args,
        kwargs,
        embed,
        retries + 1,
        at,
        expires,
        timeLimitSeconds,
        rid,
        replyTo,
        ignoreResult,
        rootId,
        parentId,
        maxRetries,
        backoffMillis,
        backoffMultiplier,
        enqueuedAt);
  }
}
