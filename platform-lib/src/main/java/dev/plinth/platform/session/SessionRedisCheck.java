package dev.plinth.platform.session;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.config.Variables;
import dev.plinth.platform.dockerflow.CheckIds;
import dev.plinth.platform.redis.LazyRedisConnection;
import dev.plinth.platform.redis.RedisReachableCheck;
import io.lettuce.core.RedisClient;
import io.micronaut.context.BeanLocator;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.inject.qualifiers.Qualifiers;
import jakarta.inject.Singleton;

/** {@code plinth.session-redis.E001}: the session Redis answers PING. */
@Singleton
@Requires(property = PlinthProperties.SESSION_REDIS_SERVER_NAME)
public class SessionRedisCheck extends RedisReachableCheck {
  public SessionRedisCheck(
      BeanLocator beans,
      @Value("${" + PlinthProperties.SESSION_REDIS_SERVER_NAME + "}") String server) {
    super(
        CheckIds.SESSION_REDIS,
        Variables.SESSION_REDIS_HOST,
        new LazyRedisConnection(beans.getBean(RedisClient.class, Qualifiers.byName(server))));
  }
}
