package dev.plinth.web.hello;

import dev.plinth.example.hello.HelloCounterRepository;
import dev.plinth.platform.config.PlinthSettings;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;

/** The hello page: a greeting and a visit counter that goes up on every visit. */
@Controller
public class HelloController {
  static final String COUNTER = "hello";

  private final HelloCounterRepository counters;
  private final String appName;

  HelloController(HelloCounterRepository counters, PlinthSettings settings) {
    this.counters = counters;
    this.appName = settings.appName();
  }

  @Operation(summary = "The hello page; each visit adds one to its counter")
  @Get(produces = MediaType.TEXT_HTML + ";charset=utf-8")
  @ExecuteOn(TaskExecutors.BLOCKING)
  public String hello() {
    long visits = counters.increment(COUNTER);
    String name = Html.escape(appName);
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + name
        + "</title></head>\n<body><h1>Hello from "
        + name
        + "</h1>\n<p>This page has been visited <strong id=\"visits\">"
        + visits
        + "</strong> "
        + (visits == 1 ? "time" : "times")
        + ".</p></body></html>\n";
  }
}
