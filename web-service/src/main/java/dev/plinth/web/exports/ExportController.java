package dev.plinth.web.exports;

import dev.plinth.example.export.ExportFiles;
import dev.plinth.example.export.ExportTasks;
import dev.plinth.platform.tasks.TaskQueue;
import dev.plinth.platform.tasks.TaskRun;
import dev.plinth.platform.tasks.state.TaskRuns;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import java.net.URI;
import java.sql.SQLException;

/**
 * The example's asynchronous work: {@code POST /api/exports} enqueues an export of the notes and
 * answers 202 with the run id; {@code GET /api/tasks/{id}} shows its state; {@code GET
 * /api/exports/{id}} serves the file once the run succeeded.
 */
@Controller("/api/exports")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ExportController {
  /** The role a token must carry to start an export (its {@code roles} claim), with APP_JWT_*. */
  public static final String EXPORT_ROLE = "exports";

  /** The answer to an accepted export. */
  @Serdeable
  public record Accepted(String id, String status, String result) {}

  private final TaskQueue tasks;
  private final TaskRuns runs;
  private final ExportFiles files;

  ExportController(TaskQueue tasks, TaskRuns runs, ExportFiles files) {
    this.tasks = tasks;
    this.runs = runs;
    this.files = files;
  }

  @Operation(summary = "Export all notes as CSV, asynchronously")
  @Post(produces = MediaType.APPLICATION_JSON)
  @Secured(ExportController.EXPORT_ROLE)
  public HttpResponse<Accepted> create() {
    String id = tasks.enqueue(ExportTasks.EXPORT_NOTES, new ExportTasks.ExportNotes("api"));
    String status = "/api/tasks/" + id;
    return HttpResponse.<Accepted>status(HttpStatus.ACCEPTED)
        .headers(h -> h.location(URI.create(status)))
        .body(new Accepted(id, status, "/api/exports/" + id));
  }

  @Operation(summary = "The export file, once its run succeeded (409 before)")
  @Get(value = "/{id}", produces = "text/csv")
  public HttpResponse<String> get(@PathVariable String id) throws SQLException {
    TaskRun run =
        runs.find(id)
            .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "No export " + id));
    if (!TaskRun.SUCCEEDED.equals(run.status())) {
      throw new HttpStatusException(
          HttpStatus.CONFLICT, "Export " + id + " is not ready: its run is " + run.status());
    }
    ExportFiles.ExportFile file =
        files
            .find(id)
            .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "No export " + id));
    return HttpResponse.ok(file.content()).contentType(file.contentType());
  }
}
