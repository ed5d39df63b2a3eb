package dev.plinth.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.appdata.AppdataStore;
import dev.plinth.platform.appdata.S3AppdataStore;
import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.InProcessS3;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files API on S3 (s3proxy in this JVM), and the appdata heartbeat check. */
class FilesInS3Test {
  @Test
  void filesGoToTheBucketAndTheHeartbeatFailsWhenItIsGone(@TempDir Path dataDir) throws Exception {
    InProcessS3 s3 = InProcessS3.start(Files.createDirectories(dataDir.resolve("s3")), "files");
    try {
      Map<String, String> env = InProcessMode.localEnvironment(dataDir);
      env.putAll(s3.environment("files", "web-test"));
      try (InProcessMode web = InProcessMode.start(Application.MODE, Application.class, env)) {
        assertThat(web.context().getBean(AppdataStore.class)).isInstanceOf(S3AppdataStore.class);
        HttpResponse<String> healthy = web.get("/__heartbeat__");
        assertThat(healthy.statusCode()).as(healthy.body()).isEqualTo(200);
        assertThat(healthy.body()).contains("\"appdata\":\"ok\"");

        FilesOverHttp.roundTripAndRefuseBadKeys(new WebVisitor(), web.port());
        assertThat(dataDir.resolve("s3/files/web-test/reports/2026/summary.txt").toFile().isFile())
            .isTrue();
        // An object put there by something else, whose key appdata refuses: left out of the
        // listing, which still answers with the rest.
        Files.writeString(dataDir.resolve("s3/files/web-test/reports/odd\\key.txt"), "odd");
        HttpResponse<String> listing = web.get("/api/files?prefix=reports/");
        assertThat(listing.statusCode()).as(listing.body()).isEqualTo(200);
        assertThat(listing.body()).contains("reports/2026/summary.txt").doesNotContain("odd");

        s3.close();
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(web.get("/__heartbeat__").statusCode()).isEqualTo(500));
        assertThat(web.get("/__heartbeat__").body())
            .contains("\"appdata\":\"error\"", "plinth.appdata.E001", "APPDATA_BUCKET files");
      }
    } finally {
      s3.close();
    }
  }
}
