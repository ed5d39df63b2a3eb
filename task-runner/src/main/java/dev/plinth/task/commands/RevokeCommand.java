package dev.plinth.task.commands;

import dev.plinth.platform.tasks.revoke.TaskRevoker;
import io.micronaut.context.annotation.Prototype;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code revoke ID... [--terminate]}: revokes tasks as {@code celery control revoke} does — stored,
 * so that workers started later honour it, and broadcast to every running worker, Plinth's and
 * Celery's; {@code --terminate} interrupts attempts running now.
 */
@Prototype
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    description = "Revoke tasks: they are acknowledged without running, on every worker.")
public class RevokeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "ID", description = "Task ids")
  List<String> ids;

  @Option(names = "--terminate", description = "Interrupt the attempts running now too.")
  boolean terminate;

  @Inject TaskRevoker revoker;

  @Override
  public Integer call() {
    revoker.revoke(ids, terminate);
    spec.commandLine().getOut().println("revoked " + ids.size());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
