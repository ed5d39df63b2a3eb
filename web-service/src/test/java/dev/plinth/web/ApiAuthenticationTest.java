package dev.plinth.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.plinth.platform.sentry.LocalSentryServer;
import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.LogCapture;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bearer JWTs over HTTP (micronaut-security-jwt, switched on by {@code APP_JWT_*}): writes need a
 * valid token (no token, a bad signature, an expired one, a wrong issuer or audience are 401
 * problems), a route's role is a 403 without it, reads need a token as well (without {@code
 * APP_ANONYMOUS_READS}), Dockerflow's endpoints stay anonymous, and the token's subject is the
 * {@code uid} of the request's summary line; the same with keys from a JWKS URL. Without the
 * variables every route stays anonymous (the other WEB tests).
 */
class ApiAuthenticationTest {
  private static final String SECRET = "an-hs256-secret-of-at-least-32-characters!";
  private static final String ISSUER = "https://issuer.test";
  private static final String AUDIENCE = "plinth-api";
  private static final String NOTE = "{\"title\":\"mine\",\"body\":null}";

  @TempDir Path dataDir;

  private static String token(
      String subject,
      JWSSigner signer,
      JWSHeader header,
      String issuer,
      String audience,
      Duration life,
      String... roles)
      throws JOSEException {
    return TestTokens.sign(signer, header, subject, issuer, audience, life, roles);
  }

  private static String hs256(
      String secret, String issuer, String audience, Duration life, String... roles)
      throws JOSEException {
    return token(
        "alice",
        new MACSigner(secret.getBytes(StandardCharsets.UTF_8)),
        new JWSHeader(JWSAlgorithm.HS256),
        issuer,
        audience,
        life,
        roles);
  }

  private static HttpResponse<String> post(InProcessMode web, String path, String token) {
    WebVisitor visitor = new WebVisitor();
    return token == null
        ? visitor.sendJson(web.port(), "POST", path, NOTE)
        : visitor.sendJson(
            web.port(), "POST", path, NOTE, Map.of("Authorization", "Bearer " + token));
  }

  @Test
  void writesNeedAValidTokenRolesAreEnforcedAndTheSubjectIsTheUid() throws Exception {
    Map<String, String> env = InProcessMode.localEnvironment(dataDir);
    env.put("APP_JWT_SECRET", SECRET);
    env.put("APP_JWT_ISSUER", ISSUER);
    env.put("APP_JWT_AUDIENCE", AUDIENCE);
    env.put("APP_MANAGEMENT_ENDPOINTS", "loggers");
    env.put("APP_MANAGEMENT_TOKEN", "a-management-token-1234");
    env.put("PLINTH_TEST_FAILING_CONTROLLER", "true");
    try (LocalSentryServer sentry = new LocalSentryServer();
        LogCapture logs = new LogCapture();
        InProcessMode web =
            InProcessMode.start(Application.MODE, Application.class, sentryOn(env, sentry))) {
      Duration hour = Duration.ofHours(1);
      for (String refused :
          new String[] {
            null,
            hs256("another-secret-of-at-least-32-characters!!", ISSUER, AUDIENCE, hour),
            hs256(SECRET, ISSUER, AUDIENCE, Duration.ofMinutes(-5)),
            hs256(SECRET, "https://elsewhere.test", AUDIENCE, hour),
            hs256(SECRET, ISSUER, "another-api", hour),
            "not-a-jwt"
          }) {
        HttpResponse<String> response = post(web, "/api/notes", refused);
        assertThat(response.statusCode()).as(String.valueOf(refused)).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("WWW-Authenticate"))
            .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
      }

      HttpResponse<String> created = post(web, "/api/notes", hs256(SECRET, ISSUER, AUDIENCE, hour));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String note = created.headers().firstValue("Location").orElseThrow();
      assertThat(logs.mozlogLines())
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains(
                          "\"Type\":\"request.summary\"",
                          "\"method\":\"POST\"",
                          "\"uid\":\"alice\""));

      // The other routes that need a token refuse without one.
      for (String path :
          new String[] {"/api/tasks/some-id", "/api/files?prefix=", "/api/exports/1"}) {
        assertThat(web.get(path).statusCode()).as(path).isEqualTo(401);
      }

      // The note is alice's: bob may read it, not change it; she may.
      assertThat(created.body()).contains("\"author\":\"alice\"");
      String bob =
          token(
              "bob",
              new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)),
              new JWSHeader(JWSAlgorithm.HS256),
              ISSUER,
              AUDIENCE,
              hour);
      HttpResponse<String> notHis =
          new WebVisitor()
              .sendJson(web.port(), "PUT", note, NOTE, Map.of("Authorization", "Bearer " + bob));
      assertThat(notHis.statusCode()).isEqualTo(403);
      assertThat(notHis.body()).contains("Only its author may change note");
      assertThat(
              new WebVisitor()
                  .sendJson(
                      web.port(),
                      "PUT",
                      note,
                      "{\"title\":\"still mine\",\"body\":null}",
                      Map.of("Authorization", "Bearer " + hs256(SECRET, ISSUER, AUDIENCE, hour)))
                  .statusCode())
          .isEqualTo(200);

      // Reads need a token too (APP_ANONYMOUS_READS is off), HEAD as GET; Dockerflow's endpoints
      // and the static assets are anonymous. Without APP_LOGIN there is no login page (a path with
      // no route has no rule to allow it: 401, not 404).
      assertThat(new WebVisitor().get(web.port(), note).statusCode()).isEqualTo(401);
      assertThat(new WebVisitor().get(web.port(), "/api/notes").statusCode()).isEqualTo(401);
      assertThat(
              new WebVisitor()
                  .send(
                      web.port(),
                      java.net.http.HttpRequest.newBuilder()
                          .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()),
                      note)
                  .statusCode())
          .isEqualTo(401);
      assertThat(web.get(web.port(), note, Map.of("Authorization", "Bearer " + bob)).statusCode())
          .isEqualTo(200);
      // A validated token is remembered (RememberedTokens), never past its own expiry.
      String brief = hs256(SECRET, ISSUER, AUDIENCE, Duration.ofSeconds(2));
      assertThat(web.get(web.port(), note, Map.of("Authorization", "Bearer " + brief)).statusCode())
          .isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  web.get(web.port(), note, Map.of("Authorization", "Bearer " + brief)).statusCode()
                      == 401);
      HttpResponse<String> noLogin = web.get("/login");
      assertThat(noLogin.statusCode()).isEqualTo(401);
      assertThat(noLogin.body()).doesNotContain("csrf");
      assertThat(web.get("/__heartbeat__").statusCode()).isEqualTo(200);
      // No version.json in a test's data directory: its 404, never a 401.
      assertThat(web.get("/__version__").statusCode()).isEqualTo(404);
      assertThat(web.get("/static/hello.css").statusCode()).isEqualTo(200);
      assertThat(web.get("/").statusCode()).isEqualTo(200);
      // The management port keeps its own rules: health and the scrape anonymous, a guarded
      // endpoint behind APP_MANAGEMENT_TOKEN (not a JWT).
      assertThat(web.get(web.managementPort(), "/health").statusCode()).isEqualTo(200);
      assertThat(web.get(web.managementPort(), "/prometheus").statusCode()).isEqualTo(200);
      assertThat(web.get(web.managementPort(), "/loggers").statusCode()).isEqualTo(401);
      assertThat(
              web.get(
                      web.managementPort(),
                      "/loggers",
                      Map.of("Authorization", "Bearer a-management-token-1234"))
                  .statusCode())
          .isEqualTo(200);

      // A role on the route: the token without it is a 403, with it the export starts.
      HttpResponse<String> noRole =
          post(web, "/api/exports", hs256(SECRET, ISSUER, AUDIENCE, hour));
      assertThat(noRole.statusCode()).isEqualTo(403);
      assertThat(noRole.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
      assertThat(
              post(web, "/api/exports", hs256(SECRET, ISSUER, AUDIENCE, hour, "exports"))
                  .statusCode())
          .isEqualTo(202);
      // The export runs on alice's behalf: its summary line names her.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(logs.mozlogLines())
                      .anySatisfy(
                          line ->
                              assertThat(line)
                                  .contains("\"Type\":\"task.summary\"", "\"uid\":\"alice\"")));
      // A server error on alice's request reaches Sentry with her id as the event's user.
      HttpResponse<String> failed =
          new WebVisitor()
              .send(
                  web.port(),
                  java.net.http.HttpRequest.newBuilder()
                      .header("Authorization", "Bearer " + hs256(SECRET, ISSUER, AUDIENCE, hour))
                      .GET(),
                  "/test-only/failing");
      assertThat(failed.statusCode()).isEqualTo(500);
      io.sentry.Sentry.flush(5000);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(sentry.events())
                      .anySatisfy(
                          event ->
                              assertThat(event)
                                  .contains("/test-only/failing", "\"id\":\"alice\"")));
      assertThat(String.join("\n", logs.mozlogLines())).doesNotContain(SECRET);
    }
  }

  @Test
  void keysFromAJwksUrlCheckTokensSignedByTheIssuer() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
    HttpServer jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] keys = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    jwks.createContext(
        "/jwks.json",
        exchange -> {
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, keys.length);
          exchange.getResponseBody().write(keys);
          exchange.close();
        });
    jwks.start();
    try {
      Map<String, String> env = InProcessMode.localEnvironment(dataDir);
      env.put("APP_JWT_JWKS_URL", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json");
      try (InProcessMode web = InProcessMode.start(Application.MODE, Application.class, env)) {
        JWSHeader rs256 = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build();
        String signed =
            token("alice", new RSASSASigner(key), rs256, ISSUER, AUDIENCE, Duration.ofHours(1));
        assertThat(post(web, "/api/notes", signed).statusCode()).isEqualTo(201);
        RSAKey other = new RSAKeyGenerator(2048).keyID("k1").generate();
        String forged =
            token("alice", new RSASSASigner(other), rs256, ISSUER, AUDIENCE, Duration.ofHours(1));
        assertThat(post(web, "/api/notes", forged).statusCode()).isEqualTo(401);
      }
    } finally {
      jwks.stop(0);
    }
  }

  private static Map<String, String> sentryOn(Map<String, String> env, LocalSentryServer sentry) {
    env.put("SENTRY_DSN", sentry.dsn());
    return env;
  }
}
