package dev.plinth.platform.dockerflow;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A heartbeat check. Declare an implementation as a bean and {@code /__heartbeat__} runs it; make
 * the bean conditional on its integration's configuration so that it is registered only when the
 * integration is switched on. Framework free: no Micronaut type appears here.
 */
public interface HealthCheck {
  /** The check's name in the heartbeat body, stable across releases (e.g. {@code database}). */
  String name();

  /**
   * Runs the check. No messages means healthy. An exception is reported by the registry as an ERROR
   * with the check's {@code .E000} id, so a check need not catch what it cannot explain.
   */
  List<CheckMessage> run() throws Exception;

  /**
   * The start of this check's message ids; the registry's own findings (exception, timeout) use
   * {@code <prefix>.E000}. Platform checks use {@code plinth.<name>}; an application's checks
   * should use their own prefix.
   */
  default String messageIdPrefix() {
    return "plinth." + name();
  }

  /**
   * How long the registry waits for this check; empty means the registry's default. A check that
   * can block on a backing service (a connection pool waiting for a dead database) declares a
   * shorter limit so that the heartbeat answers while the load balancer still waits.
   */
  default Optional<Duration> timeout() {
    return Optional.empty();
  }

  /** What the registry reports when this check did not finish within its time limit. */
  default CheckMessage timeoutMessage(Duration limit) {
    return CheckMessage.error(
        messageIdPrefix() + ".E000",
        "The " + name() + " check did not finish within " + limit.toMillis() + " ms.");
  }
}
