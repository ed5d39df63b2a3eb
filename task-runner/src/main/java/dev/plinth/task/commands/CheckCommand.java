package dev.plinth.task.commands;

import dev.plinth.platform.dockerflow.CheckMessage;
import dev.plinth.platform.dockerflow.CheckResult;
import dev.plinth.platform.dockerflow.HeartbeatRegistry;
import dev.plinth.platform.dockerflow.HeartbeatReport;
import io.micronaut.context.annotation.Prototype;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code check}: resolve the configuration and run every heartbeat check, as {@code /__heartbeat__}
 * would; print a table; exit 1 when a check fails. Usable as an exec probe.
 */
@Prototype
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = "Run every heartbeat check and print a table; exit 1 when one fails.")
public class CheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Inject HeartbeatRegistry heartbeat;

  @Override
  public Integer call() {
    HeartbeatReport report = heartbeat.run();
    var out = spec.commandLine().getOut();
    out.printf("%-14s %-9s %s%n", "CHECK", "STATUS", "MESSAGE");
    for (CheckResult result : report.results().values()) {
      if (result.messages().isEmpty()) {
        out.printf("%-14s %-9s%n", result.name(), result.level().status());
      }
      for (CheckMessage message : result.messages()) {
        out.printf(
            "%-14s %-9s %s %s%n",
            result.name(), message.level().status(), message.id(), message.text());
      }
    }
    out.printf("%-14s %s%n", "overall", report.status());
    out.flush();
    return report.level().isFailing() ? 1 : 0;
  }
}
