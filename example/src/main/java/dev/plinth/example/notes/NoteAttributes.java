package dev.plinth.example.notes;

import dev.plinth.platform.couchdb.CouchDb;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A note's free-form attributes (any JSON object: tags, colours, a client's own fields), kept as
 * one CouchDB document per note, {@code note-<id>}: the example's use of the document store, on
 * only with {@code COUCHDB_HOST}. The note itself stays in the relational database.
 */
@Singleton
@Requires(beans = CouchDb.class)
public class NoteAttributes {
  private final CouchDb couch;

  NoteAttributes(CouchDb couch) {
    this.couch = couch;
  }

  /** The attributes of note {@code noteId}, if any were written. */
  public Optional<Map<String, JsonNode>> read(long noteId) {
    return couch.get(documentId(noteId)).map(NoteAttributes::fields);
  }

  /**
   * Replaces the attributes of note {@code noteId}; a concurrent writer's revision in between is
   * taken as the base once more (the last write wins, as it does for the note).
   */
  public Map<String, JsonNode> write(long noteId, Map<String, JsonNode> attributes) {
    String id = documentId(noteId);
    for (int attempt = 0; ; attempt++) {
      String rev = couch.get(id).map(d -> d.get("_rev").getStringValue()).orElse(null);
      try {
        couch.put(id, attributes, rev);
        return attributes;
      } catch (CouchDb.CouchDbException e) {
        if (e.status() != 409 || attempt == 2) {
          throw e;
        }
      }
    }
  }

  private static String documentId(long noteId) {
    return "note-" + noteId;
  }

  private static Map<String, JsonNode> fields(JsonNode document) {
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : document.entries()) {
      if (!e.getKey().startsWith("_")) {
        fields.put(e.getKey(), e.getValue());
      }
    }
    return fields;
  }
}
