package dev.plinth.web.notes;

import dev.plinth.example.notes.NoteAttributes;
import dev.plinth.example.notes.NoteRepository;
import dev.plinth.platform.couchdb.CouchDb;
import dev.plinth.web.security.Read;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/notes/{id}/attributes}: a note's free-form attributes in the CouchDB document store;
 * routed only with {@code COUCHDB_HOST}. Reading is a read, as {@link NoteController}'s are.
 */
@Controller(value = "/api/notes/{id}/attributes", produces = MediaType.APPLICATION_JSON)
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = NoteAttributes.class)
public class NoteAttributesController {
  private final NoteRepository notes;
  private final NoteAttributes attributes;

  NoteAttributesController(NoteRepository notes, NoteAttributes attributes) {
    this.notes = notes;
    this.attributes = attributes;
  }

  @Operation(summary = "Read a note's attributes (CouchDB): {} when none were written")
  @Read
  @Get
  public Map<String, JsonNode> get(@PathVariable long id) {
    requireNote(id);
    try {
      return attributes.read(id).orElse(Map.of());
    } catch (CouchDb.CouchDbException e) {
      throw unavailable(e);
    }
  }

  @Operation(summary = "Replace a note's attributes (any JSON object; CouchDB)")
  @Secured(SecurityRule.IS_AUTHENTICATED)
  @Put(consumes = MediaType.APPLICATION_JSON)
  public Map<String, JsonNode> put(@PathVariable long id, @Body JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new HttpStatusException(HttpStatus.BAD_REQUEST, "attributes are a JSON object");
    }
    requireNote(id);
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : body.entries()) {
      if (e.getKey().startsWith("_")) {
        throw new HttpStatusException(
            HttpStatus.BAD_REQUEST, "attribute names do not start with '_' (CouchDB's own)");
      }
      fields.put(e.getKey(), e.getValue());
    }
    try {
      return attributes.write(id, fields);
    } catch (CouchDb.CouchDbException e) {
      throw unavailable(e);
    }
  }

  // The store's own words stay in the log; the client learns it may come back.
  private static HttpStatusException unavailable(CouchDb.CouchDbException e) {
    LoggerFactory.getLogger(NoteAttributesController.class)
        .atWarn()
        .setCause(e)
        .log("note attributes: CouchDB failed");
    return new HttpStatusException(
        HttpStatus.SERVICE_UNAVAILABLE, "the document store is unavailable; try again later");
  }

  private void requireNote(long id) {
    if (notes.findById(id).isEmpty()) {
      throw new HttpStatusException(HttpStatus.NOT_FOUND, "No note with id " + id);
    }
  }
}
