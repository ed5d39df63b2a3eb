package dev.plinth.web.tasks;

import dev.plinth.platform.tasks.TaskRun;
import dev.plinth.platform.tasks.state.TaskRuns;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;

/** The state of a task run, by the id that enqueue returned (docs/tasks.md "Run state"). */
@Controller(value = "/api/tasks", produces = MediaType.APPLICATION_JSON)
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class TaskController {
  private final TaskRuns runs;

  TaskController(TaskRuns runs) {
    this.runs = runs;
  }

  @Operation(summary = "A task run: queued, running, failed (retrying), succeeded or dead")
  @Get("/{id}")
  public TaskRun get(@PathVariable String id) {
    return runs.find(id)
        .map(TaskRun::forCaller)
        .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "No task run " + id));
  }
}
