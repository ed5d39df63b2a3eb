package dev.plinth.platform.dockerflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.PlatformTestApplication;
import dev.plinth.platform.testing.TestModes;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The Dockerflow endpoints over real HTTP, on the embedded H2 database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerflowEndpointsH2Test {
  private InProcessMode web;
  private Path versionFile;

  @BeforeAll
  void start(@TempDir Path dataDir) {
    versionFile = dataDir.resolve("version.json");
    Map<String, String> env = InProcessMode.localEnvironment(dataDir);
    env.put("PLINTH_DOCKERFLOW_VERSION_FILE", versionFile.toString());
    web = InProcessMode.start(TestModes.WEB, PlatformTestApplication.class, env);
  }

  @AfterAll
  void stop() {
    if (web != null) {
      web.close();
    }
  }

  @Test
  void heartbeatRunsTheDatabaseChecksAndAnswers200() {
    HttpResponse<String> response = web.get("/__heartbeat__");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(web.json(response))
        .isEqualTo(
            Map.of(
                "status",
                "ok",
                "checks",
                Map.of("database", "ok", "migrations", "ok"),
                "details",
                Map.of()));
  }

  @Test
  void lbheartbeatAnswers200WithAnEmptyBody() {
    HttpResponse<String> response = web.get("/__lbheartbeat__");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void versionIs404WithAProblemUntilTheFileExistsThenServesIt() throws IOException {
    HttpResponse<String> missing = web.get("/__version__");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(web.json(missing)).containsEntry("status", 404).containsKey("detail");

    String version =
        "{\"source\":\"https://example.org/plinth\",\"version\":\"1.2.3\","
            + "\"commit\":\"abc123\",\"build\":\"https://ci.example.org/42\"}";
    java.nio.file.Files.writeString(versionFile, version);

    HttpResponse<String> present = web.get("/__version__");
    assertThat(present.statusCode()).isEqualTo(200);
    assertThat(present.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(present.body()).isEqualTo(version);
  }

  @Test
  void theEndpointsAreOnThePublicPortOnlyAndManagementStaysOnItsOwn() {
    assertThat(web.managementPort()).isNotEqualTo(web.port());
    assertThat(web.get(web.managementPort(), "/__heartbeat__").statusCode()).isEqualTo(404);
    assertThat(web.get(web.managementPort(), "/__lbheartbeat__").statusCode()).isEqualTo(404);
    assertThat(web.get(web.managementPort(), "/health").statusCode()).isEqualTo(200);
    assertThat(web.get("/health").statusCode()).isEqualTo(404);
  }

  @Test
  void onlyHealthInfoAndTheScrapeAreOnByDefault() {
    for (String path : new String[] {"/health", "/info", "/prometheus"}) {
      assertThat(web.get(web.managementPort(), path).statusCode()).as(path).isEqualTo(200);
    }
    // micronaut-core#12386: /beans fails with two runtime-registered beans; off in any case.
    for (String path : new String[] {"/beans", "/loggers", "/routes", "/env"}) {
      assertThat(web.get(web.managementPort(), path).statusCode()).as(path).isEqualTo(404);
    }
  }
}
