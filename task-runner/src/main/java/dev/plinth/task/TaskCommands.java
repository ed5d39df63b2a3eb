package dev.plinth.task;

import dev.plinth.platform.commands.CheckCommand;
import dev.plinth.platform.commands.CompletionCommand;
import dev.plinth.platform.commands.ConfigCommand;
import dev.plinth.platform.commands.DeadLettersCommand;
import dev.plinth.platform.commands.EnqueueCommand;
import dev.plinth.platform.commands.MigrateCommand;
import dev.plinth.platform.commands.RunTaskCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The TASK mode's command line (docs/commands.md). */
@Command(
    name = "plinth-task",
    mixinStandardHelpOptions = true,
    description = "Plinth run-to-completion commands. Exit 0 success, 1 failure, 2 usage error.",
    subcommands = {
      MigrateCommand.class,
      CheckCommand.class,
      ConfigCommand.class,
      RunTaskCommand.class,
      EnqueueCommand.class,
      DeadLettersCommand.class,
      NotesCommand.class,
      CompletionCommand.class,
      HelpCommand.class
    })
public class TaskCommands implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
