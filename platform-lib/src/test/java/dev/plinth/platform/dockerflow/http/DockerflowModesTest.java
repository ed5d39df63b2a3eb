package dev.plinth.platform.dockerflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.config.RunMode;
import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.PlatformTestApplication;
import dev.plinth.platform.testing.TestModes;
import dev.plinth.platform.testing.TestServices;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** WORKER and BEAT serve the Dockerflow endpoints on $PORT too, so every mode can be probed. */
class DockerflowModesTest {
  static Stream<RunMode> brokerModes() {
    return Stream.of(TestModes.WORKER, TestModes.BEAT);
  }

  @ParameterizedTest
  @MethodSource("brokerModes")
  void longRunningModesServeTheEndpointsOnThePublicPort(RunMode mode, @TempDir Path dataDir) {
    Map<String, String> env = InProcessMode.localEnvironment(dataDir);
    // Modes that consume or publish tasks need the broker (the local RabbitMQ).
    env.putAll(TestServices.brokerVariables());

    try (InProcessMode process = InProcessMode.start(mode, PlatformTestApplication.class, env)) {
      assertThat(process.get("/__lbheartbeat__").statusCode()).isEqualTo(200);
      HttpResponse<String> heartbeat = process.get("/__heartbeat__");
      assertThat(heartbeat.statusCode()).isEqualTo(200);
      assertThat(heartbeat.body()).contains("\"database\":\"ok\"", "\"migrations\":\"ok\"");
    }
  }
}
