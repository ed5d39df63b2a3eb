package dev.plinth.web.hello;

import dev.plinth.example.hello.HelloCounts;
import dev.plinth.platform.config.PlinthSettings;
import dev.plinth.web.assets.StaticAssets;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.session.Session;
import io.swagger.v3.oas.annotations.Operation;

/**
 * The hello page: a greeting, the page's visit counter (in the database, shared by every instance)
 * and this visitor's own count (in the session: Redis with {@code SESSION_REDIS_HOST}, memory
 * otherwise), styled and scripted by its static assets under fingerprinted URLs.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
public class HelloController {
  static final String COUNTER = "hello";
  static final String VISITOR_COUNT = "hello.visits";

  private final HelloCounts counts;
  private final String appName;
  private final StaticAssets assets;

  HelloController(HelloCounts counts, PlinthSettings settings, StaticAssets assets) {
    this.counts = counts;
    this.appName = settings.appName();
    this.assets = assets;
  }

  @Operation(summary = "The hello page; each visit adds one to its counter and to the visitor's")
  @Get(produces = MediaType.TEXT_HTML + ";charset=utf-8")
  @ExecuteOn(TaskExecutors.BLOCKING)
  public String hello(Session session) {
    long visits = counts.increment(COUNTER);
    long yours = session.get(VISITOR_COUNT, Long.class).orElse(0L) + 1;
    session.put(VISITOR_COUNT, yours);
    String name = Html.escape(appName);
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + name
        + "</title>\n<link rel=\"stylesheet\" href=\""
        + assets.url("hello.css")
        + "\">\n<script src=\""
        + assets.url("hello.js")
        + "\" defer></script></head>\n<body><h1>Hello from "
        + name
        + "</h1>\n<p>This page has been visited <strong id=\"visits\">"
        + visits
        + "</strong> "
        + times(visits)
        + "; <strong id=\"your-visits\">"
        + yours
        + "</strong> "
        + times(yours)
        + " by you.</p></body></html>\n";
  }

  @Operation(summary = "The hello page's visit count, read through the cache")
  @Get(value = "/api/hello", produces = MediaType.APPLICATION_JSON)
  @ExecuteOn(TaskExecutors.BLOCKING)
  public HelloCount count() {
    return new HelloCount(COUNTER, counts.current(COUNTER));
  }

  private static String times(long count) {
    return count == 1 ? "time" : "times";
  }

  /** The body of {@code GET /api/hello}. */
  @Serdeable
  public record HelloCount(String name, long visits) {}
}
