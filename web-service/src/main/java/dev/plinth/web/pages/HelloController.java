package dev.plinth.web.pages;

import dev.plinth.example.hello.HelloCounts;
import dev.plinth.platform.config.PlinthSettings;
import dev.plinth.web.assets.StaticAssets;
import dev.plinth.web.security.CsrfTokens;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.session.Session;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Optional;

/**
 * The hello page: a greeting (by name for a signed-in visitor), the page's visit counter (in the
 * database, shared by every instance) and this visitor's own count (in the session: Redis with
 * {@code SESSION_REDIS_HOST}, memory otherwise), styled and scripted by its static assets under
 * fingerprinted URLs. With {@code APP_LOGIN} it links to the login, or shows the log-out button.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
public class HelloController {
  static final String COUNTER = "hello";
  static final String VISITOR_COUNT = "hello.visits";

  private final HelloCounts counts;
  private final String appName;
  private final StaticAssets assets;
  private final CsrfTokens csrf;
  private final boolean login;

  HelloController(
      HelloCounts counts, PlinthSettings settings, StaticAssets assets, CsrfTokens csrf) {
    this.counts = counts;
    this.appName = settings.appName();
    this.assets = assets;
    this.csrf = csrf;
    this.login = settings.login();
  }

  @Operation(summary = "The hello page; each visit adds one to its counter and to the visitor's")
  @Get(produces = MediaType.TEXT_HTML + ";charset=utf-8")
  @ExecuteOn(TaskExecutors.BLOCKING)
  public String hello(HttpRequest<?> request, Session session) {
    long visits = counts.increment(COUNTER);
    long yours = session.get(VISITOR_COUNT, Long.class).orElse(0L) + 1;
    session.put(VISITOR_COUNT, yours);
    Optional<Authentication> who = request.getUserPrincipal(Authentication.class);
    String greeting =
        who.map(w -> "Hello, " + Html.escape(LoginController.displayName(w)))
            .orElse("Hello from " + Html.escape(appName));
    String account = "";
    if (login) {
      account =
          who.isPresent()
              ? "\n" + LoginController.logoutForm(csrf.tokenFor(session))
              : "\n<p><a href=\"/login\">Sign in</a></p>";
    }
    return Html.page(
        appName,
        assets.url("hello.css"),
        assets.url("hello.js"),
        "<h1 id=\"greeting\">"
            + greeting
            + "</h1>\n<p>This page has been visited <strong id=\"visits\">"
            + visits
            + "</strong> "
            + times(visits)
            + "; <strong id=\"your-visits\">"
            + yours
            + "</strong> "
            + times(yours)
            + " by you.</p>"
            + account
            + "\n");
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
