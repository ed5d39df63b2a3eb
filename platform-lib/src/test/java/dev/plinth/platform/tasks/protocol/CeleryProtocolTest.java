package dev.plinth.platform.tasks.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The wire format of docs/tasks.md "Envelope": what Celery 5.2 sends and accepts. */
class CeleryProtocolTest {
  @Serdeable
  public record Point(int x, String label) {}

  private final JsonMapper json = JsonMapper.createDefault();
  private final CeleryProtocol protocol = new CeleryProtocol(json);

  @Test
  void encodesAProtocolV2MessageACeleryWorkerAccepts() throws Exception {
    Instant eta = Instant.parse("2026-11-23T17:47:31.849Z");
    TaskMessage m = protocol.newMessage("id-1", "app.point", new Point(3, "a"), "rid-9", "rq", eta);

    CeleryProtocol.Encoded encoded = protocol.encode(m);

    AMQP.BasicProperties p = encoded.properties();
    assertThat(p.getContentType()).isEqualTo("application/json");
    assertThat(p.getContentEncoding()).isEqualTo("utf-8");
    assertThat(p.getCorrelationId()).isEqualTo("id-1");
    assertThat(p.getReplyTo()).isEqualTo("rq");
    assertThat(p.getDeliveryMode()).isEqualTo(2);
    Map<String, Object> h = p.getHeaders();
    assertThat(h).containsEntry("task", "app.point").containsEntry("id", "id-1");
    assertThat(h).containsEntry("retries", 0).containsEntry("root_id", "id-1");
    assertThat(h).containsEntry("rid", "rid-9");
    // Python's isoformat: six fractional digits and an explicit offset (Celery 5.2 parses no
    // other).
    assertThat(h).containsEntry("eta", "2026-11-23T17:47:31.849000+00:00");
    assertThat(h.get("timelimit")).isEqualTo(java.util.Arrays.asList(null, null));
    JsonNode body = json.readValue(encoded.body(), JsonNode.class);
    assertThat(body.size()).isEqualTo(3);
    assertThat(body.get(1).get("x").getIntValue()).isEqualTo(3);
    assertThat(body.get(2).get("chain").isNull()).isTrue();
  }

  @Test
  void decodesAndBindsWhatItEncodedAndWhatPythonSends() throws Exception {
    TaskMessage m = protocol.newMessage("id-2", "app.point", new Point(1, "b"), null, null, null);
    CeleryProtocol.Encoded encoded = protocol.encode(m);
    TaskMessage back = protocol.decode(encoded.properties(), encoded.body());
    assertThat(protocol.bind(back, Point.class)).isEqualTo(new Point(1, "b"));

    // Celery's positional args bind to the record's components in order.
    AMQP.BasicProperties python =
        new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .headers(
                Map.of(
                    "task", "app.point", "id", "id-3", "eta", "2026-11-23T17:41:46.965590+00:00"))
            .build();
    byte[] body =
        "[[7, \"p\"], {}, {\"callbacks\": null, \"errbacks\": null, \"chain\": null, \"chord\": null}]"
            .getBytes(StandardCharsets.UTF_8);
    TaskMessage fromPython = protocol.decode(python, body);
    assertThat(fromPython.eta()).isEqualTo(Instant.parse("2026-11-23T17:41:46.965590Z"));
    assertThat(protocol.bind(fromPython, Point.class)).isEqualTo(new Point(7, "p"));
  }

  @Test
  void rejectsWhatNoHandlerCouldRun() {
    AMQP.BasicProperties noTask =
        new AMQP.BasicProperties.Builder().contentType("application/json").build();
    assertThatThrownBy(() -> protocol.decode(noTask, "[[],{},null]".getBytes()))
        .isInstanceOfSatisfying(
            PoisonMessageException.class, e -> assertThat(e.reason()).isEqualTo("missing-header"));
    AMQP.BasicProperties pickle =
        new AMQP.BasicProperties.Builder()
            .contentType("application/x-python-serialize")
            .headers(Map.of("task", "t", "id", "i"))
            .build();
    assertThatThrownBy(() -> protocol.decode(pickle, new byte[] {1}))
        .isInstanceOfSatisfying(
            PoisonMessageException.class,
            e -> assertThat(e.reason()).isEqualTo("unsupported-content-type"));
  }

  @Test
  void repliesInTheRpcBackendFormat() throws Exception {
    JsonNode ok = json.readValue(protocol.successReply("t1", List.of(1, 2)).body(), JsonNode.class);
    assertThat(ok.get("task_id").getStringValue()).isEqualTo("t1");
    assertThat(ok.get("status").getStringValue()).isEqualTo("SUCCESS");
    assertThat(ok.get("result").size()).isEqualTo(2);
    assertThat(ok.get("children").size()).isZero();

    CeleryProtocol.Encoded failure =
        protocol.failureReply("t2", "FAILURE", "NotRegistered", "celery.exceptions", "x", null);
    assertThat(failure.properties().getContentType()).isEqualTo("application/json");
    assertThat(failure.properties().getCorrelationId()).isEqualTo("t2");
    JsonNode meta = json.readValue(failure.body(), JsonNode.class);
    assertThat(meta.get("result").get("exc_type").getStringValue()).isEqualTo("NotRegistered");
    assertThat(meta.get("result").get("exc_message").get(0).getStringValue()).isEqualTo("x");
  }

  @Test
  void readsTimestampsExactlyAsOffsetDateTimeDoes() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 20_000; i++) {
      Instant instant =
          Instant.ofEpochSecond(random.nextLong(-5_000_000_000L, 5_000_000_000L))
              .plusNanos(random.nextInt(1_000_000_000));
      ZoneOffset offset = ZoneOffset.ofTotalSeconds(60 * random.nextInt(-18 * 60, 18 * 60 + 1));
      // Python's isoformat (microseconds), and other fraction lengths, separators and offsets.
      String text = OffsetDateTime.ofInstant(instant, offset).toString();
      for (String variant :
          List.of(
              CeleryProtocol.iso(instant),
              text,
              text.replace('T', ' '),
              text.replace("Z", "+00:00"))) {
        assertThat(CeleryProtocol.parseTimestamp(variant))
            .as(variant)
            .isEqualTo(OffsetDateTime.parse(variant.replace(" ", "T")).toInstant());
      }
    }
    assertThat(CeleryProtocol.parseTimestamp("2026-11-23T22:19:03.123456+00:00"))
        .isEqualTo(Instant.parse("2026-11-23T22:19:03.123456Z"));
    assertThat(CeleryProtocol.parseTimestamp("2024-02-29T23:59:59-05:30"))
        .isEqualTo(Instant.parse("2024-03-01T05:29:59Z"));
    // A point without digits: OffsetDateTime takes it, so the fallback does.
    assertThat(CeleryProtocol.parseTimestamp("2026-11-23T22:19:03.+00:00"))
        .isEqualTo(Instant.parse("2026-11-23T22:19:03Z"));
    for (String bad :
        List.of(
            "2026-02-29T00:00:00+00:00",
            "2026-13-01T00:00:00+00:00",
            "2026-11-23T24:00:01+00:00",
            "2026-11-23T22:19:60+00:00",
            "2026-11-23T22:19:03.1234567890+00:00",
            "2026-11-23T22:19:03+19:00",
            "2026-11-23T22:19:03",
            "2026-11-23T22:19:03.123456",
            "2026-11-2xT22:19:03.123456+00:00",
            "yesterday")) {
      assertThatThrownBy(() -> CeleryProtocol.parseTimestamp(bad))
          .as(bad)
          .isInstanceOf(DateTimeParseException.class);
    }
  }
}
