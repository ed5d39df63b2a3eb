package dev.plinth.beat;

import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.config.RunMode;

/** The BEAT mode's process: publishes the service's periodic tasks (docs/scheduling.md). */
public final class Application {
  /** Publishes on the broker, so it needs one. */
  public static final RunMode MODE = RunMode.named("BEAT").needingBroker();

  private Application() {}

  public static void main(String[] args) {
    PlinthApplication.run(MODE, Application.class, args);
  }
}
