package dev.plinth.platform.couchdb;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.config.PlinthSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CouchDB database of {@code COUCHDB_*}: documents read and written by id over CouchDB's HTTP
 * API, with basic credentials when set and TLS verified against the platform's trusted authorities.
 * No CouchDB client library is among the packages this project can use; the API is JSON over HTTP,
 * spoken here with the JDK's client. Blocking: call it from the blocking pool.
 */
@Singleton
@Requires(property = PlinthProperties.COUCHDB_ENABLED, value = "true")
public class CouchDb {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** The server's answer to a request it did not take, with CouchDB's {@code error} and status. */
  public static final class CouchDbException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    CouchDbException(int status, String message) {
      super(message);
      this.status = status;
    }

    /** The HTTP status, or 0 when the server did not answer. */
    public int status() {
      return status;
    }
  }

  private final HttpClient http;
  private final String database;
  private final String base;
  private final String authorization;
  private final JsonMapper json;

  public CouchDb(PlinthSettings settings, JsonMapper json) {
    PlinthSettings.CouchDb couch = settings.couchDb().orElseThrow();
    this.json = json;
    this.database = couch.database();
    this.base = couch.url() + "/" + couch.database();
    this.authorization =
        couch.username().isEmpty()
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (couch.username().get() + ":" + couch.password().orElseThrow().reveal())
                            .getBytes(StandardCharsets.UTF_8));
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .sslContext(settings.trust().sslContext())
            .build();
  }

  /** The database's name. */
  public String database() {
    return database;
  }

  /** Creates the database if it does not exist (a server admin's right). */
  public void createDatabase() {
    HttpResponse<String> response = send(request("").PUT(HttpRequest.BodyPublishers.noBody()));
    if (response.statusCode() != 201 && response.statusCode() != 412) {
      throw refused(response, "creating database " + database);
    }
  }

  /** The status of {@code GET /{database}}: 200 when it exists and the credentials may read it. */
  public int databaseStatus() {
    return send(request("").GET()).statusCode();
  }

  /** Document {@code id}, with its {@code _id} and {@code _rev}, or empty when there is none. */
  public Optional<JsonNode> get(String id) {
    HttpResponse<String> response = send(request("/" + encode(id)).GET());
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw refused(response, "reading document " + id);
    }
    return Optional.of(read(response.body()));
  }

  /**
   * Writes {@code fields} as document {@code id}, replacing the revision {@code rev} (null for a
   * new document); returns the new revision.
   *
   * @throws CouchDbException with status 409 when {@code rev} is not the current revision
   */
  public String put(String id, Map<String, JsonNode> fields, String rev) {
    Map<String, JsonNode> document = new LinkedHashMap<>(fields);
    document.remove("_id");
    document.remove("_rev");
    if (rev != null) {
      document.put("_rev", JsonNode.createStringNode(rev));
    }
    byte[] body;
    try {
      body = json.writeValueAsBytes(JsonNode.createObjectNode(document));
    } catch (IOException e) {
      throw new IllegalArgumentException("document " + id + " is not JSON", e);
    }
    HttpResponse<String> response =
        send(
            request("/" + encode(id))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    if (response.statusCode() != 201 && response.statusCode() != 202) {
      throw refused(response, "writing document " + id);
    }
    return read(response.body()).get("rev").getStringValue();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(TIMEOUT)
            .header("Accept", "application/json");
    return authorization == null ? builder : builder.header("Authorization", authorization);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CouchDbException(0, "CouchDB at COUCHDB_HOST did not answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CouchDbException(0, "interrupted waiting for CouchDB");
    }
  }

  private JsonNode read(String body) {
    try {
      return json.readValue(body, JsonNode.class);
    } catch (IOException e) {
      throw new CouchDbException(0, "CouchDB answered with something not JSON");
    }
  }

  // CouchDB's own error and reason, never the request's credentials.
  private CouchDbException refused(HttpResponse<String> response, String what) {
    String error = "";
    try {
      JsonNode body = json.readValue(response.body(), JsonNode.class);
      if (body != null && body.get("error") != null) {
        error = ": " + body.get("error").getStringValue();
      }
    } catch (IOException | RuntimeException e) {
      // No CouchDB error body: the status says enough.
    }
    return new CouchDbException(
        response.statusCode(), what + " refused (" + response.statusCode() + error + ")");
  }

  private static String encode(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
