package dev.plinth.platform.boot;

import dev.plinth.platform.config.ResolvedEnvironment;
import io.micronaut.context.env.EnvironmentPropertySource;
import io.micronaut.context.env.MapPropertySource;
import java.util.Map;

/**
 * Stands in for Micronaut's own environment-variable source (switched off) so that every variable
 * Micronaut reads, contract or not, comes through the secret resolver first.
 */
final class ResolvedEnvironmentPropertySource extends MapPropertySource {
  ResolvedEnvironmentPropertySource(ResolvedEnvironment env) {
    super(EnvironmentPropertySource.NAME, Map.<String, Object>copyOf(env.values()));
  }

  @Override
  public int getOrder() {
    return EnvironmentPropertySource.POSITION;
  }

  @Override
  public PropertyConvention getConvention() {
    return PropertyConvention.ENVIRONMENT_VARIABLE;
  }
}
