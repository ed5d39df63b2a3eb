package dev.plinth.task;

import dev.plinth.task.access.AccountCommand;
import dev.plinth.task.access.TokenCommand;
import dev.plinth.task.commands.CheckCommand;
import dev.plinth.task.commands.CommandGroup;
import dev.plinth.task.commands.CompletionCommand;
import dev.plinth.task.commands.ConfigCommand;
import dev.plinth.task.commands.DeadLettersCommand;
import dev.plinth.task.commands.EncryptCommand;
import dev.plinth.task.commands.EnqueueCommand;
import dev.plinth.task.commands.MigrateCommand;
import dev.plinth.task.commands.RevokeCommand;
import dev.plinth.task.commands.RunTaskCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

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
      RevokeCommand.class,
      DeadLettersCommand.class,
      EncryptCommand.class,
      TokenCommand.class,
      AccountCommand.class,
      NotesCommand.class,
      CompletionCommand.class,
      HelpCommand.class
    })
public class TaskCommands extends CommandGroup {}
