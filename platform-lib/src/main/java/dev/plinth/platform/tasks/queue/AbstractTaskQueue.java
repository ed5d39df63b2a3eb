package dev.plinth.platform.tasks.queue;

import dev.plinth.platform.logging.RequestIds;
import dev.plinth.platform.tasks.TaskDefinition;
import dev.plinth.platform.tasks.TaskOptions;
import dev.plinth.platform.tasks.TaskQueue;
import dev.plinth.platform.tasks.TasksConfiguration;
import dev.plinth.platform.tasks.broker.RpcResults;
import dev.plinth.platform.tasks.execution.TaskExecution;
import dev.plinth.platform.tasks.protocol.CeleryProtocol;
import dev.plinth.platform.tasks.protocol.TaskMessage;
import dev.plinth.platform.tasks.state.TaskRuns;
import dev.plinth.platform.tasks.state.TaskStateException;
import dev.plinth.platform.tasks.workflow.Signature;
import dev.plinth.platform.tasks.workflow.Workflow;
import dev.plinth.platform.tasks.workflow.WorkflowRun;
import dev.plinth.platform.tracing.TaskTracing;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** What both task queues share: building the message from the options, idempotency, state. */
abstract class AbstractTaskQueue implements TaskQueue {
  private static final Logger LOG = LoggerFactory.getLogger(AbstractTaskQueue.class);
  protected final TaskExecution execution;
  protected final CeleryProtocol protocol;
  protected final TaskRuns runs;
  protected final TasksConfiguration configuration;
  private final JsonMapper json;
  private final TaskTracing tracing;
  private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  AbstractTaskQueue(
      TaskExecution execution,
      CeleryProtocol protocol,
      TaskRuns runs,
      TasksConfiguration configuration,
      JsonMapper json,
      TaskTracing tracing) {
    this.execution = execution;
    this.tracing = tracing;
    this.protocol = protocol;
    this.runs = runs;
    this.configuration = configuration;
    this.json = json;
  }

  /** Where RPC results come back ({@code reply_to}). */
  protected abstract String replyTo();

  @Override
  public <P, R> R call(
      TaskDefinition<P> task,
      P payload,
      Class<R> resultType,
      Duration timeout,
      TaskOptions options) {
    String replyTo = replyTo();
    String id = UUID.randomUUID().toString();
    return awaitReply(id, () -> submit(task, payload, options, replyTo, id), resultType, timeout);
  }

  @Override
  public WorkflowRun start(Workflow workflow) {
    return launch(plan(workflow, null));
  }

  @Override
  public <R> R call(Workflow workflow, Class<R> resultType, Duration timeout) {
    if (workflow instanceof Workflow.Group) {
      throw new IllegalArgumentException(
          "a group has no single result: start it, and read its members' runs");
    }
    WorkflowMessages.Plan plan = plan(workflow, replyTo());
    return awaitReply(plan.run().last(), () -> launch(plan), resultType, timeout);
  }

  private WorkflowMessages.Plan plan(Workflow workflow, String replyTo) {
    if (workflow instanceof Workflow.Chord && !runs.enabled()) {
      throw new IllegalArgumentException(
          "a chord needs run state to count its header: plinth.tasks.record-state is false");
    }
    return WorkflowMessages.plan(
        workflow,
        replyTo,
        (signature, reply, id) -> build(signature, reply, id),
        configuration.getDefaultQueue());
  }

  private <P> TaskMessage build(Signature<P> signature, String replyTo, String id) {
    return build(signature.task(), signature.payload(), signature.options(), replyTo, id);
  }

  /** Publishes a workflow's first messages, grouped by queue, each group confirmed at once. */
  private WorkflowRun launch(WorkflowMessages.Plan plan) {
    TaskMessage first = plan.messages().get(0).message();
    TaskTracing.Publish span =
        tracing.publish(first.name(), plan.messages().get(0).queue(), plan.run().id());
    Map<String, List<TaskMessage>> byQueue = new LinkedHashMap<>();
    List<TaskMessage> all = new ArrayList<>();
    for (WorkflowMessages.Outgoing out : plan.messages()) {
      TaskMessage message = span.stamp(out.message());
      byQueue.computeIfAbsent(out.queue(), q -> new ArrayList<>()).add(message);
      all.add(message);
    }
    runs.queuedAll(all, Instant.now());
    try {
      byQueue.forEach(this::dispatchAll);
    } catch (RuntimeException e) {
      span.end(e);
      all.forEach(m -> runs.forget(m.id()));
      throw e;
    }
    span.end(null);
    confirmed(all.stream().map(TaskMessage::id).toList());
    return plan.run();
  }

  /** Publishes with {@code publish} and waits for the reply of task {@code id}. */
  private <R> R awaitReply(String id, Runnable publish, Class<R> resultType, Duration timeout) {
    // Registered before publishing: a fast reply must find its future.
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    try {
      publish.run();
      return RpcResults.read(
          json, reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS), resultType);
    } catch (TimeoutException e) {
      throw new TaskCallException(
          "Timeout", "no reply for task " + id + " within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskCallException("Interrupted", "waiting for task " + id);
    } catch (ExecutionException e) {
      throw new TaskCallException("ReplyError", String.valueOf(e.getCause()));
    } finally {
      pending.remove(id);
    }
  }

  /** True while a caller waits for the result of {@code taskId}. */
  protected boolean awaited(String taskId) {
    return pending.containsKey(taskId);
  }

  /** Hands a ready result (Celery result meta) to the caller waiting for it, if any. */
  protected void replied(String taskId, JsonNode meta) {
    CompletableFuture<JsonNode> future = pending.get(taskId);
    if (future != null) {
      future.complete(meta);
    }
  }

  @Override
  public <P> String enqueue(TaskDefinition<P> task, P payload, TaskOptions options) {
    return submit(task, payload, options, null, null).id();
  }

  @Override
  public <P> List<String> enqueueAll(
      TaskDefinition<P> task, List<P> payloads, TaskOptions options) {
    if (options.idempotencyKey() != null) {
      throw new IllegalArgumentException(
          "an idempotency key names one task: enqueue keyed tasks one by one");
    }
    String queue = queueOf(options);
    if (payloads.isEmpty()) {
      return List.of();
    }
    // One publish span for the batch: each run is its child.
    TaskTracing.Publish span = tracing.publish(task.name(), queue, null);
    List<TaskMessage> messages = new ArrayList<>(payloads.size());
    for (P payload : payloads) {
      messages.add(span.stamp(build(task, payload, options, null, UUID.randomUUID().toString())));
    }
    runs.queuedAll(messages, Instant.now());
    try {
      dispatchAll(queue, messages);
    } catch (RuntimeException e) {
      span.end(e);
      messages.forEach(m -> runs.forget(m.id()));
      throw e;
    }
    span.end(null);
    List<String> ids = messages.stream().map(TaskMessage::id).toList();
    confirmed(ids);
    return ids;
  }

  /** Builds, records as queued and dispatches; returns the message sent. */
  protected <P> TaskMessage submit(
      TaskDefinition<P> task, P payload, TaskOptions options, String replyTo, String presetId) {
    String id =
        presetId != null
            ? presetId
            : options.idempotencyKey() == null
                ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes(
                        (task.name() + "\0" + options.idempotencyKey())
                            .getBytes(StandardCharsets.UTF_8))
                    .toString();
    if (options.idempotencyKey() != null && !runs.enabled()) {
      // Without run rows nothing remembers a key: refusing beats enqueueing twice silently.
      throw new IllegalArgumentException(
          "idempotency keys need run state: plinth.tasks.record-state is false");
    }
    TaskMessage message = build(task, payload, options, replyTo, id);
    boolean fresh = runs.queued(id, task.name(), message.rid(), Instant.now());
    // The outbox: a key's row is done only once its publish was confirmed. One left unconfirmed
    // (its enqueuer died or failed before the confirm) is published again, here, before the id
    // is returned; the same id may then reach the broker twice (at-least-once).
    if (!fresh && options.idempotencyKey() != null && !runs.unpublished(id)) {
      return message;
    }
    String queue = queueOf(options);
    TaskTracing.Publish span = tracing.publish(task.name(), queue, id);
    message = span.stamp(message);
    try {
      dispatch(queue, message);
    } catch (RuntimeException e) {
      span.end(e);
      runs.forget(id);
      throw e;
    }
    span.end(null);
    confirmed(List.of(id));
    return message;
  }

  /** Marks confirmed runs published; the messages are on the broker whether or not this lands. */
  private void confirmed(List<String> ids) {
    try {
      runs.published(ids);
    } catch (TaskStateException e) {
      // A keyed retry would publish the run again: a duplicate, never a loss.
      LOG.atWarn().setCause(e).log("task.published.unrecorded: " + ids.size() + " runs");
    }
  }

  private String queueOf(TaskOptions options) {
    return options.queue() == null ? configuration.getDefaultQueue() : options.queue();
  }

  private <P> TaskMessage build(
      TaskDefinition<P> task, P payload, TaskOptions options, String replyTo, String id) {
    try {
      TaskMessage base =
          protocol.newMessage(
              id, task.name(), payload, RequestIds.current().orElse(null), replyTo, null);
      return base.toBuilder()
          .eta(options.eta())
          .timeLimitSeconds(
              options.timeLimit() == null ? null : options.timeLimit().toMillis() / 1000.0)
          .softTimeLimitSeconds(
              options.softTimeLimit() == null ? null : options.softTimeLimit().toMillis() / 1000.0)
          .replyTo(replyTo)
          .ignoreResult(replyTo == null)
          .priority(options.priority())
          .maxRetries(options.maxRetries())
          .backoffMillis(options.backoff() == null ? null : options.backoff().toMillis())
          .backoffMultiplier(options.backoffMultiplier())
          .uid(currentUid())
          .build();
    } catch (IOException e) {
      throw new IllegalArgumentException("payload of " + task.name() + " is not serialisable", e);
    }
  }

  /**
   * On whose behalf a task enqueued now runs: the HTTP request's authenticated user, else the user
   * of the task running on this thread (its {@code uid} in the MDC), else nobody.
   */
  private static String currentUid() {
    return ServerRequestContext.currentRequest()
        .flatMap(HttpRequest::getUserPrincipal)
        .map(Principal::getName)
        .orElseGet(() -> MDC.get(RequestIds.UID_MDC_KEY));
  }

  protected abstract void dispatch(String queue, TaskMessage message);

  /** Dispatches several messages; returns once all are accepted. */
  protected void dispatchAll(String queue, List<TaskMessage> messages) {
    for (TaskMessage message : messages) {
      dispatch(queue, message);
    }
  }
}
