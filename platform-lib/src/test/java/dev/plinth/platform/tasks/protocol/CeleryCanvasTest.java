package dev.plinth.platform.tasks.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The steps a message's embed asks for, read from the JSON Celery 5.2 writes (the signatures' shape
 * as {@code Signature.__json__} gives it); the end-to-end behaviour with real Celery is {@code
 * CeleryWorkflowsTest}'s.
 */
class CeleryCanvasTest {
  private final JsonMapper json = JsonMapper.createDefault();
  private final CeleryCanvas canvas = new CeleryCanvas(json);

  private String text(JsonNode node) throws Exception {
    return json.writeValueAsString(node);
  }

  private TaskMessage message(String embed) throws Exception {
    return TaskMessage.builder("parent-id", "test.add")
        .args(JsonNode.createArrayNode(List.of()))
        .kwargs(JsonNode.createObjectNode(java.util.Map.of()))
        .embed(json.readValue(embed, JsonNode.class))
        .rid("request-1")
        .rootId("root-id")
        .build();
  }

  private static String signature(String task, String args, String options, boolean immutable) {
    return "{\"task\":\""
        + task
        + "\",\"args\":"
        + args
        + ",\"kwargs\":{},\"options\":"
        + options
        + ",\"subtask_type\":null,\"immutable\":"
        + immutable
        + "}";
  }

  @Test
  void aChainsNextStepGetsTheResultFirstAndCarriesTheRestOn() throws Exception {
    String last = signature("py.last", "[]", "{\"task_id\":\"last-id\",\"reply_to\":\"r\"}", false);
    String next =
        signature(
            "py.add",
            "[10]",
            "{\"task_id\":\"next-id\",\"reply_to\":\"client-oid\",\"queue\":\"celery\","
                + "\"countdown\":30}",
            false);
    TaskMessage m =
        message(
            "{\"callbacks\":null,\"errbacks\":null,\"chord\":null,\"chain\":["
                + last
                + ","
                + next
                + "]}");
    assertThat(CeleryCanvas.hasSteps(m)).isTrue();

    List<CeleryCanvas.Step> steps = canvas.afterSuccess(m, 5);

    assertThat(steps).hasSize(1);
    CeleryCanvas.Step step = steps.get(0);
    assertThat(step.queue()).isEqualTo("celery");
    TaskMessage out = step.message();
    assertThat(out.id()).isEqualTo("next-id");
    assertThat(out.name()).isEqualTo("py.add");
    assertThat(text(out.args())).isEqualTo("[5,10]");
    assertThat(out.replyTo()).isEqualTo("client-oid");
    assertThat(out.ignoreResult()).isFalse();
    assertThat(out.parentId()).isEqualTo("parent-id");
    assertThat(out.rootId()).isEqualTo("root-id");
    assertThat(out.rid()).isEqualTo("request-1");
    assertThat(out.eta()).isAfter(Instant.now().plus(Duration.ofSeconds(25)));
    JsonNode rest = out.embed().get("chain");
    assertThat(rest.size()).isEqualTo(1);
    assertThat(rest.get(0).get("task").getStringValue()).isEqualTo("py.last");
  }

  @Test
  void anImmutableStepKeepsItsArgumentsAndLinksGetTheResult() throws Exception {
    TaskMessage m =
        message(
            "{\"chain\":["
                + signature("test.add", "[5,5]", "{}", true)
                + "],\"callbacks\":["
                + signature("py.a", "[1]", "{\"routing_key\":\"rk\"}", false)
                + ","
                + signature("py.b", "[]", "{}", false)
                + "],\"errbacks\":null,\"chord\":null}");

    List<CeleryCanvas.Step> steps = canvas.afterSuccess(m, "r");

    assertThat(steps)
        .extracting(s -> s.message().name())
        .containsExactly("test.add", "py.a", "py.b");
    assertThat(text(steps.get(0).message().args())).isEqualTo("[5,5]");
    assertThat(steps.get(0).queue()).isNull();
    assertThat(text(steps.get(1).message().args())).isEqualTo("[\"r\",1]");
    assertThat(steps.get(1).queue()).isEqualTo("rk");
    // No frozen id, no reply: an id derived from the parent's, the same on every publication.
    assertThat(steps.get(2).message().ignoreResult()).isTrue();
    assertThat(canvas.afterSuccess(m, "r").get(2).message().id())
        .isEqualTo(steps.get(2).message().id())
        .isNotEqualTo(steps.get(1).message().id());
  }

  @Test
  void errbacksGetTheFailedTasksIdAndNothingElseRunsAfterAFailure() throws Exception {
    TaskMessage m =
        message(
            "{\"chain\":["
                + signature("py.never", "[]", "{}", false)
                + "],\"callbacks\":null,\"chord\":null,\"errbacks\":"
                + signature("py.on_error", "[]", "{\"task_id\":\"eb\"}", false)
                + "}");

    List<CeleryCanvas.Step> steps = canvas.afterFailure(m);

    assertThat(steps).hasSize(1);
    assertThat(steps.get(0).message().name()).isEqualTo("py.on_error");
    assertThat(text(steps.get(0).message().args())).isEqualTo("[\"parent-id\"]");
  }

  @Test
  void aGroupStepIsRefusedNamingTheCallersThatWait() throws Exception {
    String group =
        "{\"task\":\"celery.group\",\"args\":[],\"kwargs\":{\"tasks\":["
            + signature("py.x", "[]", "{\"task_id\":\"x-id\",\"reply_to\":\"client\"}", false)
            + "]},\"options\":{},\"subtask_type\":\"group\",\"immutable\":false}";
    TaskMessage m = message("{\"chain\":[" + group + "],\"callbacks\":null,\"errbacks\":null}");

    assertThatThrownBy(() -> canvas.afterSuccess(m, 1))
        .isInstanceOf(CeleryCanvas.UnsupportedStep.class)
        .hasMessageContaining("group celery.group")
        .satisfies(
            e ->
                assertThat(((CeleryCanvas.UnsupportedStep) e).waiting())
                    .containsEntry("x-id", "client"));
  }

  @Test
  void aPlainMessageAsksForNothing() throws Exception {
    TaskMessage m = message("{\"callbacks\":null,\"errbacks\":null,\"chain\":null,\"chord\":null}");
    assertThat(CeleryCanvas.hasSteps(m)).isFalse();
    assertThat(canvas.afterSuccess(m, 1)).isEmpty();
    assertThat(canvas.afterFailure(m)).isEmpty();
  }

  @Test
  void aPlinthSignatureReadsBackAsTheStepItWasWrittenFrom() throws Exception {
    Instant eta = Instant.parse("2030-01-02T03:04:05.123456Z");
    TaskMessage written =
        TaskMessage.builder("step-id", "wf.add")
            .args(JsonNode.createArrayNode(List.of()))
            .kwargs(json.readValue("{\"b\":10}", JsonNode.class))
            .eta(eta)
            .timeLimitSeconds(30.0)
            .softTimeLimitSeconds(20.0)
            .priority(7)
            .maxRetries(2)
            .backoffMillis(1500L)
            .replyTo("reply-q")
            .build();
    JsonNode signature = CeleryCanvas.signature(written, "q1", false, null);
    assertThat(signature.get("chord_size")).isNull();
    TaskMessage parent =
        message(
            "{\"callbacks\":null,\"errbacks\":null,\"chord\":null,\"chain\":["
                + text(signature)
                + "]}");

    CeleryCanvas.Step step = canvas.afterSuccess(parent, 5).get(0);

    assertThat(step.queue()).isEqualTo("q1");
    TaskMessage out = step.message();
    assertThat(out.id()).isEqualTo("step-id");
    assertThat(text(out.args())).isEqualTo("[5]");
    assertThat(text(out.kwargs())).isEqualTo("{\"b\":10}");
    assertThat(out.eta()).isEqualTo(eta);
    assertThat(out.timeLimitSeconds()).isEqualTo(30.0);
    assertThat(out.softTimeLimitSeconds()).isEqualTo(20.0);
    assertThat(out.priority()).isEqualTo(7);
    assertThat(out.maxRetries()).isEqualTo(2);
    assertThat(out.backoffMillis()).isEqualTo(1500L);
    assertThat(out.replyTo()).isEqualTo("reply-q");
  }

  @Test
  void aChordPartIsReadFromItsGroupAndTheBodysSizeOrRefused() throws Exception {
    String body =
        "{\"task\":\"wf.collect\",\"args\":[],\"kwargs\":{},\"options\":{\"task_id\":\"body-id\","
            + "\"reply_to\":\"r\"},\"subtask_type\":null,\"immutable\":false,\"chord_size\":3}";
    TaskMessage part =
        message("{\"callbacks\":null,\"errbacks\":null,\"chain\":null,\"chord\":" + body + "}")
            .toBuilder()
            .groupId("group-id")
            .groupIndex(2)
            .build();
    assertThat(CeleryCanvas.hasSteps(part)).isTrue();
    CeleryCanvas.ChordPart chord = CeleryCanvas.chordPart(part);
    assertThat(chord.groupId()).isEqualTo("group-id");
    assertThat(chord.index()).isEqualTo(2);
    assertThat(chord.size()).isEqualTo(3);

    CeleryCanvas.Step step =
        canvas.chordBody(
            part,
            chord,
            List.of(
                JsonNode.createNumberNode(1),
                JsonNode.createNumberNode(2),
                JsonNode.createNumberNode(3)));
    assertThat(step.message().id()).isEqualTo("body-id");
    assertThat(text(step.message().args())).isEqualTo("[[1,2,3]]");

    // Without its group (a chord from a producer that counts elsewhere): refused, caller named.
    assertThatThrownBy(() -> CeleryCanvas.chordPart(part.toBuilder().groupId(null).build()))
        .isInstanceOfSatisfying(
            CeleryCanvas.UnsupportedStep.class,
            e -> assertThat(e.waiting()).containsEntry("body-id", "r"));
    assertThatThrownBy(() -> CeleryCanvas.chordPart(part.toBuilder().groupIndex(3).build()))
        .isInstanceOf(CeleryCanvas.UnsupportedStep.class);
  }
}
