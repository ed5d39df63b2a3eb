package dev.plinth.web;

import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.config.RunMode;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** The WEB mode's process. */
@OpenAPIDefinition(
    info =
        @Info(
            title = "plinth",
            version = "1",
            description = "Plinth's example application: the hello page and the notes API."))
public final class Application {
  /** Behind the load balancer: SIGTERM waits for it to stop routing before the drain. */
  public static final RunMode MODE = RunMode.named("WEB").behindLoadBalancer();

  private Application() {}

  public static void main(String[] args) {
    PlinthApplication.run(MODE, Application.class, args);
  }
}
