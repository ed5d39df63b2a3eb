package dev.plinth.platform.appdata;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.dockerflow.CheckIds;
import dev.plinth.platform.dockerflow.CheckMessage;
import dev.plinth.platform.dockerflow.HealthCheck;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code plinth.appdata.E001}: the appdata bucket can be written, read and deleted under the
 * prefix. Each instance writes its own probe object, so replicas do not race on one key.
 */
@Singleton
@Requires(property = PlinthProperties.APPDATA_S3_BUCKET)
public class AppdataCheck implements HealthCheck {
  static final String PROBE_DIRECTORY = ".plinth-heartbeat/";

  private final S3AppdataStore store;
  private final AppdataKey probe = AppdataKey.of(PROBE_DIRECTORY + UUID.randomUUID());

  public AppdataCheck(S3AppdataStore store) {
    this.store = store;
  }

  @Override
  public String name() {
    return CheckIds.APPDATA;
  }

  /** Three requests to S3, the first of them loading the SDK's classes on a cold JVM. */
  @Override
  public Optional<Duration> timeout() {
    return Optional.of(Duration.ofSeconds(10));
  }

  @Override
  public List<CheckMessage> run() {
    byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
    try {
      store.put(probe, new ByteArrayInputStream(body), body.length);
      boolean readable = store.exists(probe);
      store.delete(probe);
      if (!readable) {
        return List.of(error("wrote a probe object but could not read it back"));
      }
      return List.of();
    } catch (Exception e) {
      return List.of(error("not writable: " + e.getClass().getSimpleName()));
    }
  }

  private CheckMessage error(String what) {
    return CheckMessage.error(
        CheckIds.APPDATA_FAILED,
        "APPDATA_BUCKET " + store.bucket() + " under '" + store.prefix() + "' " + what);
  }
}
