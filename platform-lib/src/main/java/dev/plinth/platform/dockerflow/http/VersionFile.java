package dev.plinth.platform.dockerflow.http;

import dev.plinth.platform.config.PlinthProperties;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.util.StringUtils;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The build's version.json. Read once and kept: the file belongs to the image and does not change
 * while the process runs. A missing file is not an error at start-up (local runs have none); it is
 * looked for again on each request until it appears.
 */
@Singleton
@Requires(property = PlinthProperties.DOCKERFLOW + ".enabled", notEquals = StringUtils.FALSE)
class VersionFile {
  private static final Logger LOG = LoggerFactory.getLogger(VersionFile.class);

  private final Path path;
  private volatile byte[] contents;

  VersionFile(DockerflowConfiguration configuration) {
    this.path = configuration.getVersionFile();
  }

  Path path() {
    return path;
  }

  /** The file's bytes, or empty when there is no readable file. */
  Optional<byte[]> contents() {
    byte[] cached = contents;
    if (cached == null && Files.isRegularFile(path)) {
      try {
        cached = Files.readAllBytes(path);
        contents = cached;
      } catch (IOException e) {
        LOG.atWarn()
            .addKeyValue("path", path.toString())
            .setCause(e)
            .log("Cannot read version file");
      }
    }
    return Optional.ofNullable(cached);
  }
}
