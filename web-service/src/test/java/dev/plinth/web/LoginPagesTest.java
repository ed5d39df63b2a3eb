package dev.plinth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.accounts.Accounts;
import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.LogCapture;
import dev.plinth.platform.testing.RedisTestDatabase;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages' form login over HTTP ({@code APP_LOGIN}), sessions in the real Redis: the form carries
 * a CSRF token and a post without it (or with another session's) is a 403; a wrong password is the
 * form again with a 401; the right one rotates the session id and the hello page greets the user by
 * name, with the {@code uid} in the summary line; the old id is a stranger; a session cookie does
 * not authenticate the API; the log-out discards the session. Reads are open here ({@code
 * APP_ANONYMOUS_READS}); without {@code APP_LOGIN} there is no login page ({@link
 * ApiAuthenticationTest}).
 */
class LoginPagesTest {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final String PASSWORD = "correct horse battery";

  @TempDir Path dataDir;

  private static String csrf(HttpResponse<String> page) {
    Matcher token = CSRF.matcher(page.body());
    assertThat(token.find()).as("a CSRF token on " + page.body()).isTrue();
    return token.group(1);
  }

  private static HttpResponse<String> postForm(
      WebVisitor visitor, int port, String path, Map<String, String> fields) {
    String form =
        fields.entrySet().stream()
            .map(
                field ->
                    field.getKey()
                        + "="
                        + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return visitor.send(
        port,
        HttpRequest.newBuilder()
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)),
        path);
  }

  @Test
  void logInRotatesTheSessionGreetsByNameAndLogOutDiscardsIt() {
    try (RedisTestDatabase redis = RedisTestDatabase.take();
        LogCapture logs = new LogCapture()) {
      Map<String, String> env = InProcessMode.localEnvironment(dataDir);
      env.put("APP_LOGIN", "true");
      env.put("APP_ANONYMOUS_READS", "true");
      env.put("APP_JWT_SECRET", "an-hs256-secret-of-at-least-32-characters!");
      env.put("SESSION_REDIS_HOST", RedisTestDatabase.host());
      env.put("SESSION_REDIS_PORT", String.valueOf(RedisTestDatabase.port()));
      env.put("SESSION_REDIS_DB", String.valueOf(redis.db()));
      try (InProcessMode web = InProcessMode.start(Application.MODE, Application.class, env)) {
        web.context()
            .getBean(Accounts.class)
            .create("alice", "Alice Liddell", PASSWORD, List.of("exports"));
        int port = web.port();
        WebVisitor visitor = new WebVisitor();

        HttpResponse<String> hello = visitor.get(port, "/");
        assertThat(hello.body()).contains("Hello from", "href=\"/login\"");
        HttpResponse<String> form = visitor.get(port, "/login");
        assertThat(form.statusCode()).isEqualTo(200);
        String token = csrf(form);
        String anonymousId = visitor.sessionId();

        // No token, another session's token: refused before the password is looked at.
        Map<String, String> right = Map.of("username", "alice", "password", PASSWORD);
        HttpResponse<String> noToken = postForm(visitor, port, "/login", right);
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("CSRF token");
        WebVisitor stranger = new WebVisitor();
        String strangersToken = csrf(stranger.get(port, "/login"));
        assertThat(
                postForm(
                        visitor,
                        port,
                        "/login",
                        Map.of("username", "alice", "password", PASSWORD, "csrf", strangersToken))
                    .statusCode())
            .isEqualTo(403);

        // A wrong password, an unknown user: the form again, 401, still anonymous.
        for (Map<String, String> wrong :
            List.of(
                Map.of("username", "alice", "password", "not her password", "csrf", token),
                Map.of("username", "nobody", "password", PASSWORD, "csrf", token))) {
          HttpResponse<String> refused = postForm(visitor, port, "/login", wrong);
          assertThat(refused.statusCode()).isEqualTo(401);
          assertThat(refused.body())
              .contains("Unknown username or wrong password", "name=\"csrf\"");
        }
        assertThat(visitor.sessionId()).isEqualTo(anonymousId);

        HttpResponse<String> loggedIn =
            postForm(
                visitor,
                port,
                "/login",
                Map.of("username", "alice", "password", PASSWORD, "csrf", token));
        assertThat(loggedIn.statusCode()).as(loggedIn.body()).isEqualTo(303);
        assertThat(loggedIn.headers().firstValue("Location")).hasValue("/");
        String aliceId = visitor.sessionId();
        assertThat(aliceId).as("a new session id at the log-in").isNotEqualTo(anonymousId);

        HttpResponse<String> greeted = visitor.get(port, "/");
        assertThat(greeted.body()).contains("Hello, Alice Liddell", "action=\"/logout\"");
        assertThat(logs.mozlogLines())
            .anySatisfy(
                line ->
                    assertThat(line)
                        .contains(
                            "\"Type\":\"login\"", "\"uid\":\"alice\"", "\"outcome\":\"success\""))
            .anySatisfy(
                line ->
                    assertThat(line)
                        .contains(
                            "\"Type\":\"login\"", "\"uid\":\"nobody\"", "\"outcome\":\"failure\""))
            .anySatisfy(
                line ->
                    assertThat(line)
                        .contains(
                            "\"Type\":\"request.summary\"", "\"path\":\"/\"", "\"uid\":\"alice\""))
            .noneSatisfy(line -> assertThat(line).contains(PASSWORD));
        // The id from before the log-in is a stranger's now.
        assertThat(WebVisitor.withSession(anonymousId).get(port, "/").body())
            .contains("Hello from");

        // The API takes tokens, not the session: reading is open here, writing is not.
        assertThat(visitor.get(port, "/api/notes").statusCode()).isEqualTo(200);
        assertThat(
                visitor
                    .sendJson(port, "POST", "/api/notes", "{\"title\":\"by cookie\",\"body\":null}")
                    .statusCode())
            .isEqualTo(401);

        // The log-out needs the token as well (a multipart form's in the header), then discards
        // the session.
        String signedInToken = csrf(greeted);
        assertThat(postForm(visitor, port, "/logout", Map.of()).statusCode()).isEqualTo(403);
        HttpRequest.Builder multipart =
            HttpRequest.newBuilder()
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n"
                            + signedInToken
                            + "\r\n--b--\r\n"));
        assertThat(visitor.send(port, multipart, "/logout").statusCode()).isEqualTo(403);
        HttpResponse<String> loggedOut =
            visitor.send(
                port,
                HttpRequest.newBuilder()
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-CSRF-Token", signedInToken)
                    .POST(HttpRequest.BodyPublishers.ofString("")),
                "/logout");
        assertThat(loggedOut.statusCode()).isEqualTo(303);
        assertThat(visitor.sessionId()).isNotEqualTo(aliceId);
        assertThat(visitor.get(port, "/").body()).contains("Hello from");
        assertThat(WebVisitor.withSession(aliceId).get(port, "/").body()).contains("Hello from");

        // The login's default limit: 30 a minute per client (this test's address spent some).
        HttpResponse<String> limited = null;
        for (int n = 0; n < 31 && (limited == null || limited.statusCode() != 429); n++) {
          limited = new WebVisitor().get(port, "/login");
          assertThat(limited.headers().firstValue("RateLimit-Limit")).hasValue("30");
        }
        assertThat(limited.statusCode()).isEqualTo(429);
      }
    }
  }
}
