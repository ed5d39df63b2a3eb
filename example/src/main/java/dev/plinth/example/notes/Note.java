package dev.plinth.example.notes;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.DateUpdated;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A note of the example domain (table {@code notes}, migrations V2 and V4): {@code author} is the
 * authenticated subject that created it, null for a note created without authentication.
 */
@MappedEntity("notes")
public record Note(
    @Id @GeneratedValue @Nullable Long id,
    String title,
    @Nullable String body,
    @DateCreated @Nullable Instant createdAt,
    @DateUpdated @Nullable Instant updatedAt,
    @Nullable String author) {

  // Both databases keep microseconds: a note must read back exactly as it was saved.
  public Note {
    createdAt = createdAt == null ? null : createdAt.truncatedTo(ChronoUnit.MICROS);
    updatedAt = updatedAt == null ? null : updatedAt.truncatedTo(ChronoUnit.MICROS);
  }

  /** A note not saved yet: the database gives it an id, the repository its timestamps. */
  public static Note draft(String title, @Nullable String body) {
    return draft(title, body, null);
  }

  /** A note not saved yet, written by {@code author} (null: nobody authenticated). */
  public static Note draft(String title, @Nullable String body, @Nullable String author) {
    return new Note(null, title, body, null, null, author);
  }

  /** True when {@code uid} may change this note: its author, or anyone if it has none. */
  public boolean changeableBy(@Nullable String uid) {
    return author == null || author.equals(uid);
  }
}
