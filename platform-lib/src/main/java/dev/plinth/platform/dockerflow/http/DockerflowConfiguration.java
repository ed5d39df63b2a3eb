package dev.plinth.platform.dockerflow.http;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.dockerflow.HeartbeatRegistry;
import io.micronaut.context.annotation.ConfigurationProperties;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code plinth.dockerflow.*}: the Dockerflow endpoints ({@code /__heartbeat__}, {@code
 * /__lbheartbeat__}, {@code /__version__}) on the public port. The defaults are the constants here.
 */
@ConfigurationProperties(PlinthProperties.DOCKERFLOW)
public class DockerflowConfiguration {

  /** The endpoints are on unless {@code plinth.dockerflow.enabled=false}. */
  public static final boolean DEFAULT_ENABLED = true;

  /** {@code /__lbheartbeat__} is answered in the Netty pipeline unless set to false. */
  public static final boolean DEFAULT_LBHEARTBEAT_IN_PIPELINE = true;

  /** Where the image build writes version.json (Dockerflow: source, version, commit, build). */
  public static final Path DEFAULT_VERSION_FILE = Path.of("/app/version.json");

  private boolean enabled = DEFAULT_ENABLED;
  private Duration checkTimeout = HeartbeatRegistry.DEFAULT_TIMEOUT;
  private Path versionFile = DEFAULT_VERSION_FILE;
  private boolean lbheartbeatInPipeline = DEFAULT_LBHEARTBEAT_IN_PIPELINE;

  public boolean isEnabled() {
    return enabled;
  }

  /**
   * @param enabled false removes the three endpoints
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Duration getCheckTimeout() {
    return checkTimeout;
  }

  /**
   * @param checkTimeout how long a heartbeat waits for a check that declares no limit of its own
   */
  public void setCheckTimeout(Duration checkTimeout) {
    this.checkTimeout = checkTimeout;
  }

  public Path getVersionFile() {
    return versionFile;
  }

  /**
   * @param versionFile the version.json that {@code /__version__} serves
   */
  public void setVersionFile(Path versionFile) {
    this.versionFile = versionFile;
  }

  public boolean isLbheartbeatInPipeline() {
    return lbheartbeatInPipeline;
  }

  /**
   * @param lbheartbeatInPipeline false answers {@code /__lbheartbeat__} through Micronaut's route
   *     and filters (metrics included) instead of in the Netty pipeline
   */
  public void setLbheartbeatInPipeline(boolean lbheartbeatInPipeline) {
    this.lbheartbeatInPipeline = lbheartbeatInPipeline;
  }
}
