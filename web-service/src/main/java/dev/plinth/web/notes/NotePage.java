package dev.plinth.web.notes;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.data.model.Page;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** One page of notes, oldest first, with where it sits in the whole list. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record NotePage(List<NoteResponse> items, PageInfo page) {

  /** {@code number} counts from 0. */
  @Serdeable
  public record PageInfo(int number, int size, long totalItems, int totalPages) {}

  static NotePage of(Page<NoteResponse> page) {
    return new NotePage(
        page.getContent(),
        new PageInfo(
            page.getPageNumber(), page.getSize(), page.getTotalSize(), page.getTotalPages()));
  }
}
