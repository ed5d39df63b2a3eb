package dev.plinth.platform.testing;

import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.ImageNameSubstitutor;

/**
 * Testcontainers' image-name substitution for machines without a registry: {@code postgres}, {@code
 * redis} and {@code rabbitmq} become the stand-ins {@code devops/stand-ins/build.sh} builds from
 * Debian's packages ({@code localhost/plinth-stand-in/<name>:latest}); any other name is kept.
 * Switched on by {@code
 * TESTCONTAINERS_IMAGE_SUBSTITUTOR=dev.plinth.platform.testing.StandInImages}.
 */
public final class StandInImages extends ImageNameSubstitutor {
  @Override
  public DockerImageName apply(DockerImageName original) {
    return switch (original.getRepository()) {
      case "postgres", "redis", "rabbitmq" ->
          DockerImageName.parse("localhost/plinth-stand-in/" + original.getRepository() + ":latest")
              .asCompatibleSubstituteFor(original);
      default -> original;
    };
  }

  @Override
  protected String getDescription() {
    return "Plinth's stand-ins built from Debian's packages";
  }
}
