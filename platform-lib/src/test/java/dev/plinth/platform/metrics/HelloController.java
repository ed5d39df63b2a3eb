package dev.plinth.platform.metrics;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** A public route to be timed. Only in metrics tests. */
@Controller("/test/metrics")
@Requires(property = "plinth.test.hello-controller", value = "true")
final class HelloController {
  @Get("/hello/{name}")
  String hello(String name) {
    return "hello " + name;
  }
}
