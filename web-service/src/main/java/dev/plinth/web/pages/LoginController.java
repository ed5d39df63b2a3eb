package dev.plinth.web.pages;

import dev.plinth.platform.accounts.Account;
import dev.plinth.platform.accounts.Accounts;
import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.config.PlinthSettings;
import dev.plinth.web.assets.StaticAssets;
import dev.plinth.web.security.CsrfTokens;
import dev.plinth.web.security.SessionLogins;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.session.Session;
import io.swagger.v3.oas.annotations.Hidden;
import java.net.URI;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pages' form login (on with {@code APP_LOGIN}): {@code GET /login} shows the form, {@code POST
 * /login} checks it against the login accounts and on success rotates the session and sends the
 * visitor to the hello page (303), on failure shows the form again with a 401; {@code POST /logout}
 * discards the session. The forms carry the session's CSRF token; each attempt is one {@code login}
 * log line with the username and its outcome (never the password).
 */
@Controller
@Hidden
@Requires(property = PlinthProperties.LOGIN_ENABLED, value = "true")
@Secured(SecurityRule.IS_ANONYMOUS)
public class LoginController {
  private static final Logger LOG = LoggerFactory.getLogger("login");
  private static final String HTML = MediaType.TEXT_HTML + ";charset=utf-8";

  private final Accounts accounts;
  private final SessionLogins logins;
  private final CsrfTokens csrf;
  private final StaticAssets assets;
  private final String appName;

  LoginController(
      Accounts accounts,
      SessionLogins logins,
      CsrfTokens csrf,
      StaticAssets assets,
      PlinthSettings settings) {
    this.accounts = accounts;
    this.logins = logins;
    this.csrf = csrf;
    this.assets = assets;
    this.appName = settings.appName();
  }

  @Get(value = "/login", produces = HTML)
  public String form(HttpRequest<?> request, Session session) {
    return page(request, session, null);
  }

  @Post(value = "/login", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = HTML)
  @ExecuteOn(TaskExecutors.BLOCKING)
  public HttpResponse<String> logIn(
      HttpRequest<?> request,
      Session session,
      @Nullable @Body("username") String username,
      @Nullable @Body("password") String password) {
    Optional<Account> account =
        username == null || password == null
            ? Optional.empty()
            : accounts.verify(username, password);
    LOG.atInfo()
        .addKeyValue("uid", username == null ? "" : abbreviated(username))
        .addKeyValue("outcome", account.isPresent() ? "success" : "failure")
        .log(account.isPresent() ? "logged in" : "login refused");
    if (account.isEmpty()) {
      return HttpResponse.<String>status(HttpStatus.UNAUTHORIZED)
          .contentType(HTML)
          .body(page(request, session, "Unknown username or wrong password."));
    }
    logins.logIn(request, account.get());
    return HttpResponse.seeOther(URI.create("/"));
  }

  @Post(value = "/logout", consumes = MediaType.APPLICATION_FORM_URLENCODED)
  @ExecuteOn(TaskExecutors.BLOCKING)
  public HttpResponse<?> logOut(HttpRequest<?> request) {
    logins.logOut(request);
    return HttpResponse.seeOther(URI.create("/"));
  }

  private String page(HttpRequest<?> request, Session session, @Nullable String error) {
    String token = csrf.tokenFor(session);
    Optional<Authentication> who = request.getUserPrincipal(Authentication.class);
    String body =
        who.isPresent()
            ? "<h1>Signed in</h1>\n<p>You are signed in as <strong id=\"user\">"
                + Html.escape(displayName(who.get()))
                + "</strong>.</p>\n"
                + logoutForm(token)
            : "<h1>Sign in to "
                + Html.escape(appName)
                + "</h1>\n"
                + (error == null
                    ? ""
                    : "<p id=\"error\" role=\"alert\">" + Html.escape(error) + "</p>\n")
                + Html.form(
                    "/login",
                    token,
                    "<p><label>Username <input name=\"username\" autocomplete=\"username\""
                        + " required></label></p><p><label>Password <input name=\"password\""
                        + " type=\"password\" autocomplete=\"current-password\" required></label>"
                        + "</p><p><button>Sign in</button></p>");
    return Html.page("Sign in: " + appName, assets.url("hello.css"), assets.url("hello.js"), body);
  }

  // What a visitor typed goes to the log: no longer than a username can be.
  private static String abbreviated(String username) {
    return username.length() <= 150 ? username : username.substring(0, 150) + "...";
  }

  /** The name a page greets {@code who} by: the account's display name, else the principal's. */
  static String displayName(Authentication who) {
    return who.getAttributes().get(SessionLogins.NAME_ATTRIBUTE) instanceof String name
        ? name
        : who.getName();
  }

  /** The log-out button: a form, since a log-out changes state (a link would be a GET). */
  static String logoutForm(String csrfToken) {
    return Html.form("/logout", csrfToken, "<button>Sign out</button>");
  }
}
