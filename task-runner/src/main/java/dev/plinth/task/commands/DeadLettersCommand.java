package dev.plinth.task.commands;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.plinth.platform.tasks.TasksConfiguration;
import dev.plinth.platform.tasks.broker.BrokerClient;
import io.micronaut.context.annotation.Prototype;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dead-letters list|requeue|purge}: the dead-letter queue {@code Q.dead} of a task queue
 * (docs/tasks.md): what failed for good and why, put back to be run again, or dropped.
 */
@Command(
    name = "dead-letters",
    mixinStandardHelpOptions = true,
    description = "Dead-lettered tasks: list, requeue, purge.",
    subcommands = {
      DeadLettersCommand.ListDead.class,
      DeadLettersCommand.Requeue.class,
      DeadLettersCommand.Purge.class
    })
public class DeadLettersCommand extends CommandGroup {

  /**
   * What every subcommand shares: the broker, the queue, a channel held for the command's length
   * and the one summary line it ends with.
   */
  abstract static class OnQueue implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--queue",
        paramLabel = "QUEUE",
        description = "Task queue (default: the default queue)")
    String queue;

    @Inject Optional<BrokerClient> broker;
    @Inject TasksConfiguration configuration;

    String taskQueue() {
      return queue == null ? configuration.getDefaultQueue() : queue;
    }

    Channel channel() throws Exception {
      BrokerClient client =
          broker.orElseThrow(
              () -> new CommandFailure("dead letters live on the broker: set RABBITMQ_HOST"));
      client.declare(taskQueue());
      return client.publisherConnection().createChannel();
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    @Override
    public final Integer call() throws Exception {
      String dead = BrokerClient.deadLetterQueue(taskQueue());
      String summary;
      try (Channel channel = channel()) {
        summary = onDeadLetters(channel, dead);
      }
      out().printf("%s%n", summary);
      out().flush();
      return 0;
    }

    /** Works on the dead-letter queue {@code dead}; returns the closing summary line. */
    abstract String onDeadLetters(Channel channel, String dead) throws Exception;
  }

  @Prototype
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List dead letters (left in place).")
  static class ListDead extends OnQueue {
    @Option(
        names = "--limit",
        defaultValue = "100",
        description = "At most this many (default ${DEFAULT-VALUE})")
    int limit;

    @Override
    String onDeadLetters(Channel channel, String dead) throws Exception {
      int count = 0;
      // Taken without an ack and left to go back when the channel closes: a look, not a take.
      out().printf("%-36s %-28s %-14s %s%n", "TASK ID", "TASK", "REASON", "ERROR");
      for (GetResponse m; count < limit && (m = channel.basicGet(dead, false)) != null; count++) {
        Map<String, Object> h = headers(m.getProps());
        out()
            .printf(
                "%-36s %-28s %-14s %s%n",
                h.get("id"),
                h.get("task"),
                h.get("plinth_dead_reason"),
                h.get("plinth_dead_error"));
      }
      return count + " dead letter(s) in " + dead;
    }
  }

  @Prototype
  @Command(
      name = "requeue",
      mixinStandardHelpOptions = true,
      description = "Publish dead letters back to their task queue (confirmed), oldest first.")
  static class Requeue extends OnQueue {
    @Option(
        names = "--limit",
        defaultValue = "1000",
        description = "At most this many (default ${DEFAULT-VALUE})")
    int limit;

    @Override
    String onDeadLetters(Channel channel, String dead) throws Exception {
      int count = 0;
      channel.confirmSelect();
      for (GetResponse m; count < limit && (m = channel.basicGet(dead, false)) != null; count++) {
        Map<String, Object> h = headers(m.getProps());
        String target = String.valueOf(h.getOrDefault("plinth_dead_queue", taskQueue()));
        h.keySet().removeIf(k -> k.startsWith("plinth_dead_"));
        h.put("retries", 0);
        AMQP.BasicProperties properties = m.getProps().builder().headers(h).build();
        channel.basicPublish("", target, properties, m.getBody());
        channel.waitForConfirmsOrDie(configuration.getConfirmTimeout().toMillis());
        // Acked only after the broker confirmed the copy: a crash here duplicates, never loses.
        channel.basicAck(m.getEnvelope().getDeliveryTag(), false);
      }
      return "requeued " + count + " dead letter(s) from " + dead;
    }
  }

  @Prototype
  @Command(
      name = "purge",
      mixinStandardHelpOptions = true,
      description = "Delete every dead letter of the queue.")
  static class Purge extends OnQueue {
    @Override
    String onDeadLetters(Channel channel, String dead) throws Exception {
      return "purged "
          + channel.queuePurge(dead).getMessageCount()
          + " dead letter(s) from "
          + dead;
    }
  }

  static Map<String, Object> headers(AMQP.BasicProperties properties) {
    Map<String, Object> h = new HashMap<>();
    if (properties.getHeaders() != null) {
      properties
          .getHeaders()
          .forEach(
              (k, v) ->
                  h.put(
                      k,
                      v == null
                          ? null
                          : v instanceof com.rabbitmq.client.LongString ? v.toString() : v));
    }
    return h;
  }
}
