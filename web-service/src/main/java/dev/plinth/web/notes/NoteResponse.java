package dev.plinth.web.notes;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.plinth.example.notes.Note;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** A note as the API shows it. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record NoteResponse(
    long id,
    String title,
    @Nullable String body,
    Instant createdAt,
    Instant updatedAt,
    @Nullable String author) {

  static NoteResponse of(Note note) {
    return new NoteResponse(
        note.id(), note.title(), note.body(), note.createdAt(), note.updatedAt(), note.author());
  }
}
