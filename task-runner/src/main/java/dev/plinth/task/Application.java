package dev.plinth.task;

import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.config.RunMode;

/** The TASK mode's process: run-to-completion commands. */
public final class Application {
  private Application() {}

  public static void main(String[] args) {
    PlinthApplication.run(RunMode.TASK, Application.class, args).close();
  }
}
