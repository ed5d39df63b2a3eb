package dev.plinth.web.notes;

import dev.plinth.example.notes.Note;
import dev.plinth.example.notes.NoteRepository;
import dev.plinth.platform.http.Problem;
import dev.plinth.web.security.Read;
import io.micronaut.cache.annotation.CacheInvalidate;
import io.micronaut.cache.annotation.Cacheable;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.security.Principal;

/**
 * The example domain's JSON API: create, read and list notes. Writing needs a token (its
 * {@code @Secured}); reading is a read ({@code @Read}): open with {@code APP_ANONYMOUS_READS}, else
 * it needs a token too.
 */
@Controller(value = "/api/notes", produces = MediaType.APPLICATION_JSON)
@ExecuteOn(TaskExecutors.BLOCKING)
public class NoteController {
  /** Cache of single notes, by id; a write through this API evicts the note. */
  static final String NOTES_CACHE = "notes";

  static final int MAX_PAGE_SIZE = 100;
  static final int MAX_PAGE = 1_000_000;

  private final NoteRepository notes;

  NoteController(NoteRepository notes) {
    this.notes = notes;
  }

  @Operation(summary = "Create a note")
  @ApiResponse(responseCode = "201", description = "Created; Location names the new note")
  @ApiResponse(
      responseCode = "400",
      description = "Invalid note (problem with violations)",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @Secured(SecurityRule.IS_AUTHENTICATED)
  @Post(consumes = MediaType.APPLICATION_JSON)
  public HttpResponse<NoteResponse> create(@Body @Valid NoteRequest request, HttpRequest<?> http) {
    Note saved = notes.save(Note.draft(request.title(), request.body(), uid(http)));
    return HttpResponse.created(NoteResponse.of(saved), URI.create("/api/notes/" + saved.id()));
  }

  @Operation(summary = "Read one note (cached in the \"notes\" cache)")
  @ApiResponse(responseCode = "200", description = "The note")
  @ApiResponse(
      responseCode = "404",
      description = "No such note (problem)",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @Read
  @Get("/{id}")
  @Cacheable(NOTES_CACHE)
  public NoteResponse get(@PathVariable long id) {
    return notes
        .findById(id)
        .map(NoteResponse::of)
        .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "No note with id " + id));
  }

  @Operation(summary = "Replace a note's title and body (evicts it from the cache)")
  @ApiResponse(responseCode = "200", description = "The updated note")
  @ApiResponse(responseCode = "400", description = "Invalid note (problem with violations)")
  @ApiResponse(responseCode = "403", description = "Not the note's author (problem)")
  @ApiResponse(responseCode = "404", description = "No such note (problem)")
  @Secured(SecurityRule.IS_AUTHENTICATED)
  @Put(value = "/{id}", consumes = MediaType.APPLICATION_JSON)
  @CacheInvalidate(value = NOTES_CACHE, parameters = "id")
  public NoteResponse update(
      @PathVariable long id, @Body @Valid NoteRequest request, HttpRequest<?> http) {
    Note existing =
        notes
            .findById(id)
            .orElseThrow(
                () -> new HttpStatusException(HttpStatus.NOT_FOUND, "No note with id " + id));
    if (!existing.changeableBy(uid(http))) {
      throw new HttpStatusException(HttpStatus.FORBIDDEN, "Only its author may change note " + id);
    }
    Note changed =
        new Note(
            id,
            request.title(),
            request.body(),
            existing.createdAt(),
            existing.updatedAt(),
            existing.author());
    return NoteResponse.of(notes.update(changed));
  }

  @Operation(summary = "List notes, oldest first, one page at a time")
  @ApiResponse(responseCode = "200", description = "A page of notes")
  @ApiResponse(
      responseCode = "400",
      description = "Bad paging parameters (problem)",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @Read
  @Get
  public NotePage list(
      @Parameter(description = "page number, from 0", required = false)
          @QueryValue(defaultValue = "0")
          @Min(0)
          @Max(MAX_PAGE)
          int page,
      @Parameter(description = "notes per page", required = false)
          @QueryValue(defaultValue = "20")
          @Min(1)
          @Max(MAX_PAGE_SIZE)
          int size) {
    Pageable pageable = Pageable.from(page, size, Sort.of(Sort.Order.asc("id")));
    return NotePage.of(notes.findAll(pageable).map(NoteResponse::of));
  }

  // The authenticated subject (with APP_JWT_*), or null.
  private static String uid(HttpRequest<?> http) {
    return http.getUserPrincipal().map(Principal::getName).orElse(null);
  }
}
