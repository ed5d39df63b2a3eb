package dev.plinth.platform.session;

import io.micronaut.configuration.lettuce.session.RedisHttpSessionConfiguration;
import io.micronaut.configuration.lettuce.session.RedisSessionStore;
import io.micronaut.context.BeanLocator;
import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.convert.ConversionService;
import io.micronaut.core.serialize.ObjectSerializer;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.session.InMemorySession;
import io.micronaut.session.Session;
import io.micronaut.session.SessionIdGenerator;
import io.micronaut.session.SessionStore;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions in Redis ({@code SESSION_REDIS_*}) that degrade instead of failing requests. Micronaut's
 * {@link RedisSessionStore} connects in its constructor, so a Redis that is away at start-up would
 * fail every request that passes the session filter. This store creates it on first use and again
 * after a pause when that fails; meanwhile, and whenever a Redis command fails, a request gets a
 * fresh session that is not saved (the visitor looks new), and the failure is logged and counted.
 */
@Singleton
@Primary
@Replaces(RedisSessionStore.class)
@Requires(property = "micronaut.session.http.redis.enabled", value = "true")
public class ResilientRedisSessionStore implements SessionStore<Session>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResilientRedisSessionStore.class);
  private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private final SessionIdGenerator ids;
  private final RedisHttpSessionConfiguration configuration;
  private final BeanLocator beans;
  private final ObjectSerializer serializer;
  private final ConversionService conversion;
  private final ExecutorService scheduler;
  private final ApplicationEventPublisher<Object> events;
  private final AtomicLong failures = new AtomicLong();

  private volatile RedisSessionStore store;
  private volatile Instant nextAttempt = Instant.MIN;

  public ResilientRedisSessionStore(
      SessionIdGenerator ids,
      RedisHttpSessionConfiguration configuration,
      BeanLocator beans,
      ObjectSerializer serializer,
      ConversionService conversion,
      @Named(TaskExecutors.SCHEDULED) ExecutorService scheduler,
      ApplicationEventPublisher<Object> events) {
    this.ids = ids;
    this.configuration = configuration;
    this.beans = beans;
    this.serializer = serializer;
    this.conversion = conversion;
    this.scheduler = scheduler;
    this.events = events;
  }

  /** Session operations that failed and were passed over since start. */
  public long failures() {
    return failures.get();
  }

  @Override
  public Session newSession() {
    RedisSessionStore redis = store();
    return redis != null
        ? redis.newSession()
        : new UnsavedSession(ids.generateId(), configuration.getMaxInactiveInterval());
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public CompletableFuture<Optional<Session>> findSession(String id) {
    RedisSessionStore redis = store();
    if (redis == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    CompletableFuture<Optional<Session>> found = (CompletableFuture) redis.findSession(id);
    return found.exceptionally(e -> passOver("find", e, Optional.empty()));
  }

  @Override
  public CompletableFuture<Boolean> deleteSession(String id) {
    RedisSessionStore redis = store();
    if (redis == null) {
      return CompletableFuture.completedFuture(false);
    }
    return redis.deleteSession(id).exceptionally(e -> passOver("delete", e, false));
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public CompletableFuture<Session> save(Session session) {
    RedisSessionStore redis = store();
    if (redis == null || session instanceof UnsavedSession) {
      return CompletableFuture.completedFuture(session);
    }
    CompletableFuture<Session> saved = ((SessionStore) redis).save(session);
    return saved.exceptionally(e -> passOver("save", e, session));
  }

  private RedisSessionStore store() {
    RedisSessionStore current = store;
    if (current != null || Instant.now().isBefore(nextAttempt)) {
      return current;
    }
    synchronized (this) {
      if (store == null && !Instant.now().isBefore(nextAttempt)) {
        try {
          store =
              new RedisSessionStore(
                  ids, configuration, beans, serializer, conversion, scheduler, events);
        } catch (RuntimeException e) {
          nextAttempt = Instant.now().plus(RETRY_AFTER);
          passOver("connect", e, null);
        }
      }
      return store;
    }
  }

  private <T> T passOver(String operation, Throwable e, T fallback) {
    failures.incrementAndGet();
    LOG.atWarn()
        .addKeyValue("operation", operation)
        .addKeyValue("error", e.getClass().getSimpleName() + ": " + e.getMessage())
        .log("session store unavailable, continuing with an unsaved session");
    return fallback;
  }

  @Override
  @PreDestroy
  public synchronized void close() {
    if (store != null) {
      store.close();
      store = null;
    }
  }

  /** A session made while Redis is away: used for this request, never saved. */
  static final class UnsavedSession extends InMemorySession {
    UnsavedSession(String id, Duration maxInactiveInterval) {
      super(id, maxInactiveInterval);
    }
  }
}
