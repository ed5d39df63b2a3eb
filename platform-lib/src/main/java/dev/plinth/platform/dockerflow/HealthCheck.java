package dev.plinth.platform.dockerflow;

import java.util.List;

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
}
