package dev.plinth.worker;

import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.config.RunMode;
import dev.plinth.worker.consumer.TaskWorker;

/** The WORKER mode's process. */
public final class Application {
  /** Consumes the task queues: needs the broker, and switches the consumers on. */
  public static final RunMode MODE =
      RunMode.named("WORKER").needingBroker().withProperty(TaskWorker.ENABLED, true);

  private Application() {}

  public static void main(String[] args) {
    PlinthApplication.run(MODE, Application.class, args);
  }
}
