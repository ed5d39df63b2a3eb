package dev.plinth.task.commands;

import dev.plinth.platform.boot.ProcessConfiguration;

/**
 * A command that needs nothing but the resolved environment and settings. Run on its own it starts
 * no application context (no bean, no pool, no integration), so it answers as fast as {@code
 * --help}; in a task list with other commands it runs inside their context like any command.
 */
public interface ContextFreeCommand {
  /** Hands the command what it works on when no context injects it. */
  void use(ProcessConfiguration configuration);
}
