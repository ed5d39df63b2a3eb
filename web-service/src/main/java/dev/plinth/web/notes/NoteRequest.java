package dev.plinth.web.notes;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/notes}. */
@Serdeable
public record NoteRequest(
    @NotBlank @Size(max = 200) String title, @Nullable @Size(max = 10_000) String body) {}
