package dev.plinth.platform.testing;

import dev.plinth.platform.config.RunMode;

/**
 * The modes as the platform's own tests declare them, asking of the contract what the mode modules'
 * {@code Application.MODE} ask: the platform holds no list of its own.
 */
public final class TestModes {
  public static final RunMode WEB = RunMode.named("WEB").behindLoadBalancer();
  public static final RunMode WORKER = RunMode.named("WORKER").needingBroker();
  public static final RunMode BEAT = RunMode.named("BEAT").needingBroker();
  public static final RunMode TASK = RunMode.named("TASK");

  private TestModes() {}
}
