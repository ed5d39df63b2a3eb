package dev.plinth.platform.tasks.queue;

import dev.plinth.platform.tasks.protocol.CeleryCanvas;
import dev.plinth.platform.tasks.protocol.TaskMessage;
import dev.plinth.platform.tasks.workflow.Signature;
import dev.plinth.platform.tasks.workflow.Workflow;
import dev.plinth.platform.tasks.workflow.WorkflowRun;
import io.micronaut.json.tree.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A workflow as Celery writes it on the wire: the messages to publish now, the rest inside their
 * embeds. A chain's first step carries the others (last first, as Celery keeps them); a group's
 * members carry their {@code group} and {@code group_index}; a chord's header parts carry those and
 * the body (with its {@code chord_size}) in {@code chord}. Every id is frozen here, so a caller can
 * wait for the last one and look any of them up.
 */
final class WorkflowMessages {
  /** A message to publish now, to {@code queue}. */
  record Outgoing(String queue, TaskMessage message) {}

  /** What starting a workflow publishes, and the ids it answers with. */
  record Plan(WorkflowRun run, List<Outgoing> messages) {}

  /** Builds the message of one signature: its payload, options and reply queue, under an id. */
  interface Builder {
    TaskMessage build(Signature<?> signature, String replyTo, String id);
  }

  private WorkflowMessages() {}

  /** The plan for {@code workflow}; its last task replies to {@code replyTo} (null: none). */
  static Plan plan(Workflow workflow, String replyTo, Builder builder, String defaultQueue) {
    if (workflow instanceof Workflow.Chain chain) {
      return chain(chain.steps(), replyTo, builder, defaultQueue);
    }
    if (workflow instanceof Workflow.Group group) {
      return group(group.members(), null, builder, defaultQueue);
    }
    return chord((Workflow.Chord) workflow, replyTo, builder, defaultQueue);
  }

  private static Plan chain(
      List<Signature<?>> steps, String replyTo, Builder builder, String defaultQueue) {
    List<String> ids = new ArrayList<>();
    List<JsonNode> rest = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      ids.add(UUID.randomUUID().toString());
    }
    for (int i = steps.size() - 1; i > 0; i--) {
      Signature<?> step = steps.get(i);
      TaskMessage message = builder.build(step, i == steps.size() - 1 ? replyTo : null, ids.get(i));
      // The queue always named: a Celery worker publishing the step would use its own default.
      rest.add(CeleryCanvas.signature(message, queue(step, defaultQueue), step.immutable(), null));
    }
    Signature<?> first = steps.get(0);
    TaskMessage message =
        builder.build(first, steps.size() == 1 ? replyTo : null, ids.get(0)).toBuilder()
            .embed(
                embed(rest.isEmpty() ? JsonNode.nullNode() : JsonNode.createArrayNode(rest), null))
            .build();
    return new Plan(
        new WorkflowRun(ids.get(0), ids),
        List.of(new Outgoing(queue(first, defaultQueue), message)));
  }

  private static Plan group(
      List<Signature<?>> members, JsonNode chordBody, Builder builder, String defaultQueue) {
    String groupId = UUID.randomUUID().toString();
    List<String> ids = new ArrayList<>();
    List<Outgoing> messages = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      Signature<?> member = members.get(i);
      String id = UUID.randomUUID().toString();
      ids.add(id);
      TaskMessage message =
          builder.build(member, null, id).toBuilder()
              .groupId(groupId)
              .groupIndex(i)
              .embed(embed(JsonNode.nullNode(), chordBody))
              .build();
      messages.add(new Outgoing(queue(member, defaultQueue), message));
    }
    return new Plan(new WorkflowRun(groupId, ids), messages);
  }

  private static Plan chord(
      Workflow.Chord chord, String replyTo, Builder builder, String defaultQueue) {
    Signature<?> body = chord.body();
    String bodyId = UUID.randomUUID().toString();
    JsonNode bodySignature =
        CeleryCanvas.signature(
            builder.build(body, replyTo, bodyId),
            queue(body, defaultQueue),
            body.immutable(),
            chord.header().size());
    Plan header = group(chord.header(), bodySignature, builder, defaultQueue);
    List<String> ids = new ArrayList<>(header.run().taskIds());
    ids.add(bodyId);
    return new Plan(new WorkflowRun(header.run().id(), ids), header.messages());
  }

  private static JsonNode embed(JsonNode chain, JsonNode chord) {
    Map<String, JsonNode> embed = new HashMap<>();
    embed.put("callbacks", JsonNode.nullNode());
    embed.put("errbacks", JsonNode.nullNode());
    embed.put("chain", chain);
    embed.put("chord", chord == null ? JsonNode.nullNode() : chord);
    return JsonNode.createObjectNode(embed);
  }

  private static String queue(Signature<?> signature, String defaultQueue) {
    return signature.options().queue() == null ? defaultQueue : signature.options().queue();
  }
}
