package dev.plinth.platform.redis;

import dev.plinth.platform.dockerflow.CheckMessage;
import dev.plinth.platform.dockerflow.HealthCheck;
import io.lettuce.core.RedisCommandExecutionException;
import java.util.List;

/**
 * Heartbeat check shared by the session and cache Redis sets: PING over the set's own connection.
 * The text names the set, never the URI (which may carry a password).
 */
public abstract class RedisReachableCheck implements HealthCheck, AutoCloseable {
  private final String name;
  private final String variable;
  private final LazyRedisConnection connection;

  protected RedisReachableCheck(String name, String variable, LazyRedisConnection connection) {
    this.name = name;
    this.variable = variable;
    this.connection = connection;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<CheckMessage> run() {
    try {
      String pong = connection.get().sync().ping();
      if ("PONG".equalsIgnoreCase(pong)) {
        return List.of();
      }
      return List.of(error("answered PING with " + pong));
    } catch (RuntimeException e) {
      return List.of(error(failure(e)));
    }
  }

  // What went wrong, in words an operator acts on: the credentials, the certificate, or the path.
  private String failure(RuntimeException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      if (cause instanceof RedisCommandExecutionException
          && (message.startsWith("WRONGPASS") || message.startsWith("NOAUTH"))) {
        return "refused the credentials of "
            + variable.replace("_HOST", "_PASSWORD")
            + " ("
            + message.split(" ", 2)[0]
            + ")";
      }
      if (cause instanceof javax.net.ssl.SSLException) {
        return "failed the TLS handshake: " + message;
      }
    }
    return "unreachable: " + e.getClass().getSimpleName();
  }

  private CheckMessage error(String what) {
    return CheckMessage.error("plinth." + name + ".E001", "Redis of " + variable + " " + what);
  }

  @Override
  public void close() {
    connection.close();
  }
}
