package dev.plinth.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.PouchDbServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example's use of CouchDB over HTTP, against pouchdb-server (CouchDB's HTTP API): a note's
 * attributes written and read back through the API, kept in CouchDB as the note's document; the
 * {@code couchdb} heartbeat check passes, refuses wrong credentials by name and fails when the
 * server is stopped, when the API answers 503; the password appears nowhere.
 */
class NoteAttributesInCouchDbTest {
  private static final String PASSWORD = "couch-secret-2";

  @TempDir Path dataDir;

  @Test
  void attributesGoToCouchDbAndTheHeartbeatFollowsTheServer() throws Exception {
    PouchDbServer couch = PouchDbServer.start();
    try {
      couch.addAdmin("plinth", PASSWORD);
      assertThat(couch.send("PUT", "/notes_docs", null, "plinth:" + PASSWORD).statusCode())
          .isEqualTo(201);
      Map<String, String> env = InProcessMode.localEnvironment(dataDir);
      env.putAll(couch.environment("notes_docs", "plinth", PASSWORD));
      try (InProcessMode web = InProcessMode.start(Application.MODE, Application.class, env)) {
        WebVisitor visitor = new WebVisitor();
        HttpResponse<String> created =
            visitor.sendJson(web.port(), "POST", "/api/notes", "{\"title\":\"t\",\"body\":null}");
        String note = created.headers().firstValue("Location").orElseThrow();
        String id = note.substring(note.lastIndexOf('/') + 1);

        assertThat(visitor.get(web.port(), note + "/attributes").body()).isEqualTo("{}");
        HttpResponse<String> written =
            visitor.sendJson(
                web.port(),
                "PUT",
                note + "/attributes",
                "{\"tags\":[\"a\",\"b\"],\"colour\":\"red\"}");
        assertThat(written.statusCode()).as(written.body()).isEqualTo(200);
        visitor.sendJson(web.port(), "PUT", note + "/attributes", "{\"colour\":\"blue\"}");
        assertThat(visitor.get(web.port(), note + "/attributes").body())
            .isEqualTo("{\"colour\":\"blue\"}");
        // In CouchDB, as the note's document, at its second revision.
        HttpResponse<String> document =
            couch.send("GET", "/notes_docs/note-" + id, null, "plinth:" + PASSWORD);
        assertThat(document.body()).contains("\"colour\":\"blue\"", "\"_rev\":\"2-");

        assertThat(visitor.sendJson(web.port(), "PUT", note + "/attributes", "[1]").statusCode())
            .isEqualTo(400);
        assertThat(
                visitor
                    .sendJson(web.port(), "PUT", note + "/attributes", "{\"_id\":1}")
                    .statusCode())
            .isEqualTo(400);
        assertThat(visitor.get(web.port(), "/api/notes/999999/attributes").statusCode())
            .isEqualTo(404);

        HttpResponse<String> healthy = web.get("/__heartbeat__");
        assertThat(healthy.statusCode()).as(healthy.body()).isEqualTo(200);
        assertThat(healthy.body()).contains("\"couchdb\"");

        couch.stop();
        HttpResponse<String> down = visitor.get(web.port(), note + "/attributes");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(() -> assertThat(web.get("/__heartbeat__").statusCode()).isEqualTo(500));
        assertThat(web.get("/__heartbeat__").body()).contains("plinth.couchdb.E001");
        assertThat(down.body() + web.get("/__heartbeat__").body()).doesNotContain(PASSWORD);
      }
    } finally {
      couch.close();
    }
  }

  @Test
  void wrongCredentialsFailTheHeartbeatNamingTheVariable() throws Exception {
    try (PouchDbServer couch = PouchDbServer.start()) {
      couch.addAdmin("plinth", PASSWORD);
      couch.send("PUT", "/notes_docs", null, "plinth:" + PASSWORD);
      Map<String, String> env = InProcessMode.localEnvironment(dataDir);
      env.putAll(couch.environment("notes_docs", "plinth", "not-the-password"));
      try (InProcessMode web = InProcessMode.start(Application.MODE, Application.class, env)) {
        HttpResponse<String> heartbeat = web.get("/__heartbeat__");
        assertThat(heartbeat.statusCode()).isEqualTo(500);
        assertThat(heartbeat.body()).contains("plinth.couchdb.E002", "COUCHDB_USERNAME");
        assertThat(heartbeat.body()).doesNotContain("not-the-password");
      }
    }
  }
}
