package dev.plinth.web;

import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.config.RunMode;

/** The WEB mode's process. */
public final class Application {
  private Application() {}

  public static void main(String[] args) {
    PlinthApplication.run(RunMode.WEB, Application.class, args);
  }
}
