package dev.plinth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.testing.InProcessMode;
import io.micronaut.core.type.Argument;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What WEB promises its clients, checked over real HTTP against a WEB mode started in-process on a
 * free port. Subclasses choose the database (embedded H2 or the local PostgreSQL).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WebModeContract {
  private static final Pattern VISITS = Pattern.compile("<strong id=\"visits\">(\\d+)</strong>");

  private final HttpClient http = HttpClient.newHttpClient();
  private InProcessMode web;
  private JsonMapper json;
  private Path dataDir;
  private URI base;

  /** The contract variables that choose the database; empty for the embedded default. */
  abstract Map<String, String> databaseEnvironment();

  /** Called once WEB has stopped. */
  void afterWebStopped() throws Exception {}

  @BeforeAll
  void startWeb() throws IOException {
    dataDir = Files.createTempDirectory("plinth-web-test");
    Map<String, String> env = InProcessMode.localEnvironment(dataDir);
    env.putAll(databaseEnvironment());
    web =
        InProcessMode.start(
            Application.MODE, Application.class, env, Map.of(FailingController.ENABLED, "true"));
    json = web.context().getBean(JsonMapper.class);
    base = URI.create("http://127.0.0.1:" + web.port());
  }

  @AfterAll
  void stopWeb() throws Exception {
    if (web != null) {
      web.close();
    }
    afterWebStopped();
    if (dataDir != null) {
      try (var files = Files.walk(dataDir)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void migrationsRanOnTheFreshSchemaEachSetInItsOwnHistory() throws SQLException {
    // The platform's first, in its own table; the application's after, from a baseline at 0.
    assertThat(appliedVersions("plinth_schema_history")).startsWith("1", "2", "3", "4");
    assertThat(appliedVersions("flyway_schema_history")).startsWith("1", "2", "3");
  }

  private List<String> appliedVersions(String historyTable) throws SQLException {
    List<String> versions = new ArrayList<>();
    DataSource pool =
        DelegatingDataSource.unwrapDataSource(web.context().getBean(DataSource.class));
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT version, success FROM "
                    + historyTable
                    + " WHERE type = 'SQL' ORDER BY installed_rank")) {
      while (rows.next()) {
        assertThat(rows.getBoolean("success")).as("migration %s", rows.getString(1)).isTrue();
        versions.add(rows.getString("version"));
      }
    }
    return versions;
  }

  @Test
  void helloPageCountsEveryVisit() {
    HttpResponse<String> first = get("/");
    HttpResponse<String> second = get("/");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(first.body()).contains("<!doctype html>", "Hello from");
    assertThat(visits(second)).isEqualTo(visits(first) + 1);
  }

  @Test
  void helloCounterLosesNoVisitUnderConcurrentRequests() {
    int requests = 24;
    long before = visits(get("/"));
    List<CompletableFuture<HttpResponse<String>>> inFlight =
        IntStream.range(0, requests)
            .mapToObj(i -> http.sendAsync(request("/").GET().build(), bodyAsString()))
            .toList();
    List<Long> seen = inFlight.stream().map(CompletableFuture::join).map(this::visits).toList();

    // Every visit got its own number, and together they are exactly the next `requests` numbers.
    assertThat(seen)
        .containsExactlyInAnyOrderElementsOf(
            IntStream.rangeClosed(1, requests).mapToObj(i -> before + i).toList());
    assertThat(visits(get("/"))).isEqualTo(before + requests + 1);
  }

  @Test
  void createdNoteIsServedAtItsLocation() {
    HttpResponse<String> created =
        postJson("/api/notes", "{\"title\":\"Groceries <b>\",\"body\":\"milk, \\\"eggs\\\"\"}");

    assertThat(created.statusCode()).isEqualTo(201);
    Map<String, Object> note = map(created);
    String location = created.headers().firstValue("Location").orElseThrow();
    assertThat(location).isEqualTo("/api/notes/" + note.get("id"));
    assertThat(note)
        .containsEntry("title", "Groceries <b>")
        .containsEntry("body", "milk, \"eggs\"")
        .containsKeys("createdAt", "updatedAt");

    HttpResponse<String> read = get(location);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    assertThat(map(read)).isEqualTo(note);
  }

  @Test
  void noteWithoutBodyIsAccepted() {
    HttpResponse<String> created = postJson("/api/notes", "{\"title\":\"only a title\"}");

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(map(get(created.headers().firstValue("Location").orElseThrow())))
        .containsEntry("title", "only a title")
        .containsEntry("body", null);
  }

  @Test
  void notesAreListedOldestFirstOnePageAtATime() {
    long before = ((Number) page(get("/api/notes?size=1")).get("totalItems")).longValue();
    List<Object> ids = new ArrayList<>();
    for (String title : List.of("first", "second", "third")) {
      ids.add(map(postJson("/api/notes", "{\"title\":\"" + title + "\"}")).get("id"));
    }
    long total = before + 3;

    Map<String, Object> lastTwo = map(get("/api/notes?size=2&page=" + (total - 2) / 2));
    Map<String, Object> onlyThird = map(get("/api/notes?size=1&page=" + (total - 1)));
    Map<String, Object> pastTheEnd = map(get("/api/notes?size=1&page=" + total));
    Map<String, Object> defaults = map(get("/api/notes"));

    assertThat(page(onlyThird))
        .containsEntry("number", (int) (total - 1))
        .containsEntry("size", 1)
        .containsEntry("totalItems", (int) total)
        .containsEntry("totalPages", (int) total);
    assertThat(items(onlyThird)).extracting(n -> n.get("id")).containsExactly(ids.get(2));
    assertThat(items(onlyThird)).extracting(n -> n.get("title")).containsExactly("third");
    assertThat(items(lastTwo)).extracting(n -> n.get("id")).endsWith(ids.get(2));
    assertThat(items(pastTheEnd)).isEmpty();
    assertThat(page(defaults)).containsEntry("number", 0).containsEntry("size", 20);
    assertThat(items(defaults)).hasSize((int) Math.min(total, 20));
  }

  @Test
  void pagingParametersOutOfBoundsAreProblems() {
    assertViolation(get("/api/notes?size=0"), "size");
    assertViolation(get("/api/notes?size=101"), "size");
    assertViolation(get("/api/notes?page=-1"), "page");
    assertProblem(get("/api/notes?page=abc"), 400);
    assertProblem(get("/api/notes?size=1.5"), 400);
  }

  @Test
  void invalidNotesAreProblemsNamingTheFields() {
    assertViolation(postJson("/api/notes", "{\"title\":\"   \"}"), "title");
    assertViolation(postJson("/api/notes", "{\"body\":\"no title\"}"), "title");
    assertViolation(postJson("/api/notes", "{\"title\":\"" + "x".repeat(201) + "\"}"), "title");
    Map<String, Object> both =
        assertProblem(
            postJson("/api/notes", "{\"title\":\"\",\"body\":\"" + "y".repeat(10_001) + "\"}"),
            400);
    assertThat(violations(both)).extracting(v -> v.get("field")).containsExactly("body", "title");
  }

  @Test
  void malformedJsonIsAProblem() {
    Map<String, Object> problem = assertProblem(postJson("/api/notes", "{\"title\": "), 400);
    assertThat(problem).doesNotContainKey("violations");
    assertProblem(postJson("/api/notes", "[1, 2]"), 400);
  }

  @Test
  void missingNoteIsANotFoundProblem() {
    Map<String, Object> problem = assertProblem(get("/api/notes/987654321"), 404);
    assertThat(problem)
        .containsEntry("detail", "No note with id 987654321")
        .containsEntry("instance", "/api/notes/987654321");
    assertProblem(get("/no-such-page"), 404);
    assertProblem(get("/api/notes/not-a-number"), 400);
  }

  @Test
  void wrongMethodIsAMethodNotAllowedProblem() {
    HttpResponse<String> response = send(request("/api/notes").DELETE().build());
    assertProblem(response, 405);
    assertThat(response.headers().allValues("Allow").toString()).contains("GET", "POST");
  }

  @Test
  void wrongMediaTypeIsAnUnsupportedMediaTypeProblem() {
    HttpResponse<String> response =
        send(
            request("/api/notes")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("title=plain"))
                .build());
    assertProblem(response, 415);
  }

  @Test
  void unhandledErrorIsAProblemWithoutInternals() {
    HttpResponse<String> response = get("/test-only/failing");
    Map<String, Object> problem = assertProblem(response, 500);
    assertThat(problem).containsEntry("title", "Internal Server Error");
    assertThat(response.body())
        .doesNotContain("secret-internals", "IllegalStateException", "at dev.plinth");
  }

  @Test
  void openApiDescriptionIsServed() {
    HttpResponse<String> response = get("/openapi/plinth-1.yml");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("openapi: 3", "/api/notes/{id}", "NoteRequest");
  }

  // --- helpers

  private void assertViolation(HttpResponse<String> response, String field) {
    Map<String, Object> problem = assertProblem(response, 400);
    assertThat(violations(problem)).extracting(v -> v.get("field")).containsExactly(field);
    assertThat(violations(problem)).allSatisfy(v -> assertThat(v.get("message")).isNotNull());
  }

  private Map<String, Object> assertProblem(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    Map<String, Object> problem = map(response);
    assertThat(problem)
        .containsEntry("type", "about:blank")
        .containsEntry("status", status)
        .containsKey("title")
        .doesNotContainKeys("_embedded", "_links", "stackTrace");
    return problem;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> violations(Map<String, Object> problem) {
    return (List<Map<String, Object>>) problem.get("violations");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> items(Map<String, Object> page) {
    return (List<Map<String, Object>>) page.get("items");
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> page(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return (Map<String, Object>) map(response).get("page");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> page(Map<String, Object> notePage) {
    return (Map<String, Object>) notePage.get("page");
  }

  private Map<String, Object> map(HttpResponse<String> response) {
    try {
      return json.readValue(
          response.body().getBytes(StandardCharsets.UTF_8),
          Argument.mapOf(String.class, Object.class));
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + response.body(), e);
    }
  }

  private long visits(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    Matcher matcher = VISITS.matcher(response.body());
    assertThat(matcher.find()).as(response.body()).isTrue();
    return Long.parseLong(matcher.group(1));
  }

  private HttpResponse<String> get(String path) {
    return send(request(path).GET().build());
  }

  private HttpResponse<String> postJson(String path, String body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path));
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, bodyAsString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse.BodyHandler<String> bodyAsString() {
    return HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8);
  }
}
