package dev.plinth.worker;

import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.config.RunMode;

/** The WORKER mode's process. */
public final class Application {
  private Application() {}

  public static void main(String[] args) {
    PlinthApplication.run(RunMode.WORKER, Application.class, args);
  }
}
