package dev.plinth.platform.redis;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.config.PlinthSettings;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Makes every Redis client fail fast while its server is away: commands are rejected at once
 * instead of queueing until Lettuce's 60 s default, so sessions and caches degrade within a request
 * instead of hanging it. The client still reconnects in the background. A {@code rediss} URI (
 * {@code *_REDIS_TLS}) verifies the server against the trust bundle; Lettuce checks the host name.
 */
@Singleton
public class FailFastRedisClients implements BeanCreatedEventListener<RedisClient> {
  private final Duration commandTimeout;
  private final Duration connectTimeout;
  private final PlinthSettings settings;

  public FailFastRedisClients(
      PlinthSettings settings,
      @Value("${" + PlinthProperties.REDIS_COMMAND_TIMEOUT + ":2s}") Duration commandTimeout,
      @Value("${" + PlinthProperties.REDIS_CONNECT_TIMEOUT + ":2s}") Duration connectTimeout) {
    this.commandTimeout = commandTimeout;
    this.connectTimeout = connectTimeout;
    this.settings = settings;
  }

  @Override
  public RedisClient onCreated(BeanCreatedEvent<RedisClient> event) {
    RedisClient client = event.getBean();
    ClientOptions.Builder options = ClientOptions.builder();
    boolean tls =
        settings.sessionRedis().map(PlinthSettings.Redis::tls).orElse(false)
            || settings.cacheRedis().map(PlinthSettings.Redis::tls).orElse(false);
    if (tls) {
      options.sslOptions(
          SslOptions.builder()
              .jdkSslProvider()
              .trustManager(settings.trust().trustManagerFactory())
              .build());
    }
    client.setOptions(
        options
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
            .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
            .build());
    return client;
  }
}
