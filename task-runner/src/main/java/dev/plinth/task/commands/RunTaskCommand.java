package dev.plinth.task.commands;

import dev.plinth.platform.tasks.execution.TaskExecution;
import dev.plinth.platform.tasks.protocol.CeleryProtocol;
import dev.plinth.platform.tasks.protocol.TaskMessage;
import io.micronaut.context.annotation.Prototype;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code run TASK --payload JSON}: runs a task handler in this process to completion, with the
 * task's retries, time limit and run-state record, as a worker would. Exit 1 when it fails for
 * good.
 */
@Prototype
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run a task handler in this process to completion.")
public class RunTaskCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TaskArguments arguments;

  @Inject TaskExecution execution;
  @Inject CeleryProtocol protocol;
  @Inject JsonMapper json;

  @Override
  public Integer call() throws Exception {
    JsonNode tree = arguments.payload(json);
    String id = UUID.randomUUID().toString();
    TaskMessage message = protocol.newMessage(id, arguments.task, tree, null, null, null);
    while (true) {
      TaskExecution.Outcome outcome = execution.execute(message, "run");
      if (outcome instanceof TaskExecution.Retry retry) {
        spec.commandLine()
            .getErr()
            .printf(
                "retrying %s in %d ms after: %s%n",
                arguments.task, retry.delay().toMillis(), CommandRunner.oneLine(retry.error()));
        Thread.sleep(retry.delay().toMillis());
        message = retry.next();
        continue;
      }
      if (outcome instanceof TaskExecution.Throttled throttled) {
        Thread.sleep(throttled.delay().toMillis());
        message = throttled.next();
        continue;
      }
      return report(id, outcome);
    }
  }

  private int report(String id, TaskExecution.Outcome outcome) throws IOException {
    var out = spec.commandLine().getOut();
    if (outcome instanceof TaskExecution.Succeeded succeeded) {
      out.println(json.writeValueAsString(succeeded.result()));
      out.flush();
      return 0;
    }
    if (outcome instanceof TaskExecution.Dead dead) {
      throw new CommandFailure(
          arguments.task + " (" + id + ") failed: " + dead.excType() + ": " + dead.message());
    }
    throw new CommandFailure(arguments.task + " (" + id + ") did not run: " + outcome);
  }
}
