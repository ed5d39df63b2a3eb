package dev.plinth.task.commands;

import dev.plinth.platform.tasks.TaskDefinition;
import dev.plinth.platform.tasks.TaskOptions;
import dev.plinth.platform.tasks.TaskQueue;
import io.micronaut.context.annotation.Prototype;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code enqueue TASK --payload JSON [--delay 30s]}: publishes a task to the broker (confirmed) and
 * prints its id. Without a broker the task runs in this process before the command returns.
 */
@Prototype
@Command(
    name = "enqueue",
    mixinStandardHelpOptions = true,
    description = "Enqueue a task (confirmed by the broker) and print its id.")
public class EnqueueCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TaskArguments arguments;

  @Option(
      names = "--delay",
      paramLabel = "DURATION",
      description = "Run no earlier than this from now, e.g. 30s, 5m (ISO-8601 or s/m/h).")
  String delay;

  @Option(names = "--queue", paramLabel = "QUEUE", description = "Queue (default: the task API's)")
  String queue;

  @Inject TaskQueue tasks;
  @Inject JsonMapper json;

  @Override
  public Integer call() {
    JsonNode tree = arguments.payload(json);
    TaskOptions options = TaskOptions.defaults();
    if (delay != null) {
      options = options.countdown(TaskArguments.duration("--delay", delay));
    }
    if (queue != null) {
      options = options.queue(queue);
    }
    String id = tasks.enqueue(TaskDefinition.of(arguments.task, JsonNode.class), tree, options);
    spec.commandLine().getOut().println(id);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
