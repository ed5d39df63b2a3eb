package dev.plinth.platform.dockerflow.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.PlatformTestApplication;
import dev.plinth.platform.testing.TestModes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /__lbheartbeat__} answered in the Netty pipeline (the default) and by the route (with
 * {@code PLINTH_DOCKERFLOW_LBHEARTBEAT_IN_PIPELINE=false}), over raw HTTP/1.1 connections so that
 * pipelined requests, HEAD and {@code Connection: close} are what the server really receives.
 */
class LbHeartbeatPipelineTest {
  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3}) ");

  @TempDir Path dataDir;

  private InProcessMode start(Map<String, String> extra) {
    Map<String, String> env = InProcessMode.localEnvironment(dataDir);
    env.putAll(extra);
    return InProcessMode.start(TestModes.WEB, PlatformTestApplication.class, env);
  }

  /** Writes {@code requests} in one go on one connection; reads until the server closes it. */
  private static String exchange(int port, String requests) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  private static List<Integer> statuses(String responses) {
    List<Integer> codes = new ArrayList<>();
    Matcher matcher = STATUS_LINE.matcher(responses);
    while (matcher.find()) {
      codes.add(Integer.parseInt(matcher.group(1)));
    }
    return codes;
  }

  /** Probes that went through Micronaut's route: the server's request timers count them. */
  private static long routedProbes(InProcessMode web) {
    return web
        .context()
        .getBean(MeterRegistry.class)
        .find("http.server.requests")
        .tag("uri", "/__lbheartbeat__")
        .timers()
        .stream()
        .mapToLong(Timer::count)
        .sum();
  }

  private static void awaitRoutedProbes(InProcessMode web, long expected) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(routedProbes(web)).isEqualTo(expected));
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderAndProbesSkipTheRoute() throws IOException {
    try (InProcessMode web = start(Map.of())) {
      assertThat(web.context().containsBean(LbHeartbeatPipeline.class)).isTrue();

      String responses =
          exchange(
              web.port(),
              "GET /__lbheartbeat__ HTTP/1.1\r\nHost: t\r\nX-Request-ID: first\r\n\r\n"
                  + "GET /__heartbeat__ HTTP/1.1\r\nHost: t\r\n\r\n"
                  + "GET /__lbheartbeat__ HTTP/1.1\r\nHost: t\r\nX-Request-ID: queued\r\n\r\n"
                  + "POST /__lbheartbeat__ HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n"
                  + "HEAD /__lbheartbeat__?from=lb HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                  + "\r\n");

      assertThat(statuses(responses)).containsExactly(200, 200, 200, 405, 200);
      assertThat(responses.indexOf("X-Request-ID: first"))
          .isLessThan(responses.indexOf("\"status\":\"ok\""))
          .isLessThan(responses.indexOf("X-Request-ID: queued"));
      assertThat(responses).endsWith("connection: close\r\n\r\n");
      // The two probes behind a request still being served went through the route, in turn.
      awaitRoutedProbes(web, 2);

      assertThat(web.get("/__lbheartbeat__").statusCode()).isEqualTo(200);
      assertThat(routedProbes(web))
          .as("a probe on an idle connection skips the route")
          .isEqualTo(2);
    }
  }

  @Test
  void aProbeWithABodyIsLeftToTheRoute() throws IOException {
    try (InProcessMode web = start(Map.of())) {
      String responses =
          exchange(
              web.port(),
              "GET /__lbheartbeat__ HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n"
                  + "Connection: close\r\n\r\nbody");

      assertThat(statuses(responses)).containsExactly(200);
      awaitRoutedProbes(web, 1);
    }
  }

  @Test
  void http10ProbesGetTheirAnswerAndTheConnectionCloses() throws IOException {
    try (InProcessMode web = start(Map.of())) {
      String responses = exchange(web.port(), "GET /__lbheartbeat__ HTTP/1.0\r\n\r\n");

      assertThat(responses).startsWith("HTTP/1.0 200 OK\r\n").contains("content-length: 0");
      assertThat(routedProbes(web)).isZero();
    }
  }

  @Test
  void switchedOffTheRouteAnswersEveryProbe() throws IOException {
    try (InProcessMode web = start(Map.of("PLINTH_DOCKERFLOW_LBHEARTBEAT_IN_PIPELINE", "false"))) {
      assertThat(web.context().containsBean(LbHeartbeatPipeline.class)).isFalse();

      String responses =
          exchange(
              web.port(),
              "GET /__lbheartbeat__ HTTP/1.1\r\nHost: t\r\n\r\n"
                  + "HEAD /__lbheartbeat__ HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");

      assertThat(statuses(responses)).containsExactly(200, 200);
      awaitRoutedProbes(web, 2);
    }
  }
}
