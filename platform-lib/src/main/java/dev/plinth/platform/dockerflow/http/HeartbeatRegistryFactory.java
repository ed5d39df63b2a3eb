package dev.plinth.platform.dockerflow.http;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.dockerflow.HealthCheck;
import dev.plinth.platform.dockerflow.HeartbeatRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.util.StringUtils;
import jakarta.inject.Singleton;
import java.util.List;

/** Registers every {@link HealthCheck} bean with the heartbeat. */
@Factory
class HeartbeatRegistryFactory {
  @Singleton
  @Bean(preDestroy = "close")
  @Requires(property = PlinthProperties.DOCKERFLOW + ".enabled", notEquals = StringUtils.FALSE)
  HeartbeatRegistry heartbeatRegistry(
      List<HealthCheck> checks, DockerflowConfiguration configuration) {
    return new HeartbeatRegistry(checks, configuration.getCheckTimeout());
  }
}
