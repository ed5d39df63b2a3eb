package dev.plinth.task;

import dev.plinth.task.commands.CommandRunner;

/**
 * The TASK mode's process: one command from the arguments, or each command of {@code
 * APP_TASK_LIST}; exits with the command's status. No HTTP server is started.
 */
public final class Application {
  private Application() {}

  public static void main(String[] args) {
    System.exit(CommandRunner.run(TaskCommands.class, Application.class, System.getenv(), args));
  }
}
