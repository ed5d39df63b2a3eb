package dev.plinth.beat;

import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.config.ConfigurationError;
import dev.plinth.platform.config.RunMode;

/** The BEAT mode's process: publishes the service's periodic tasks (docs/scheduling.md). */
public final class Application {
  private Application() {}

  public static void main(String[] args) {
    String broker = System.getenv("RABBITMQ_HOST");
    if (broker == null || broker.isBlank()) {
      // BEAT exists to publish to a broker: without one it would record runs nobody receives.
      System.err.println(
          new ConfigurationError("RABBITMQ_HOST", "a RabbitMQ host: BEAT publishes to a broker")
              .toStartupLine());
      System.exit(1);
    }
    PlinthApplication.run(RunMode.BEAT, Application.class, args);
  }
}
