package dev.plinth.task.commands;

import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.boot.ProcessConfiguration;
import dev.plinth.platform.config.ConfigurationError;
import dev.plinth.platform.config.RunMode;
import dev.plinth.platform.config.Variables;
import dev.plinth.platform.sentry.ErrorReporter;
import io.micronaut.configuration.picocli.MicronautFactory;
import io.micronaut.context.ApplicationContext;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Runs the TASK mode's command line: one command from the arguments, or, with none, each {@code
 * ;}-separated command of {@code APP_TASK_LIST} in order, stopping at the first that fails. Exit
 * status 0 success, 1 failure, 2 usage error; an error is one line on stderr, never a stack trace.
 * The application context is started without the HTTP server: a command runs to completion, or
 * until SIGTERM interrupts it ({@link CommandShutdown}), when the process exits 143.
 */
public final class CommandRunner {
  public static final String TASK_LIST = Variables.APP_TASK_LIST;

  /** Runs to completion: nothing routes to it, and only the commands that enqueue use a broker. */
  public static final RunMode MODE = RunMode.named("TASK");

  private static final Logger SUMMARY = LoggerFactory.getLogger("command.summary");

  private CommandRunner() {}

  /** Runs and returns the exit status. */
  public static int run(
      Class<?> rootCommand, Class<?> mainClass, Map<String, String> environment, String... args) {
    List<String[]> commands;
    if (args.length > 0) {
      commands = List.<String[]>of(args);
    } else {
      String list = environment.getOrDefault(TASK_LIST, "").trim();
      if (list.isEmpty()) {
        // No command: show what there is, as a usage error.
        commands = List.<String[]>of(new String[0]);
      } else {
        try {
          commands = CommandSplitter.split(list);
        } catch (IllegalArgumentException e) {
          System.err.println("plinth: " + TASK_LIST + ": " + e.getMessage());
          return CommandLine.ExitCode.USAGE;
        }
      }
    }
    // --help, --version and completion need no context: answer them without starting one.
    if (commands.size() == 1 && needsNoContext(commands.get(0))) {
      return commandLine(rootCommand, CommandLine.defaultFactory()).execute(commands.get(0));
    }
    ProcessConfiguration configuration;
    ApplicationContext context;
    try {
      configuration = PlinthApplication.resolve(MODE, environment);
      if (commands.stream().allMatch(command -> isContextFree(rootCommand, command))) {
        return execute(
            rootCommand, new ContextFreeFactory(configuration), commands, Optional.empty());
      }
      context = PlinthApplication.builder(mainClass, configuration).build().start();
    } catch (ConfigurationError e) {
      System.err.println(e.toStartupLine());
      return CommandLine.ExitCode.SOFTWARE;
    }
    // Released last: a SIGTERM waits for the command and then for the context to close.
    CommandShutdown shutdown = CommandShutdown.install(configuration.settings().shutdown().grace());
    try (context;
        MicronautFactory factory = new MicronautFactory(context)) {
      // Closing the context flushes what Sentry has to send before the process exits.
      return execute(
          rootCommand, factory, commands, Optional.of(context.getBean(ErrorReporter.class)));
    } finally {
      shutdown.close();
    }
  }

  /**
   * Runs each command in turn. In an application context ({@code errors} present) each ends with a
   * {@code command.summary} line (its name, exit status and time), and one that fails is reported
   * to Sentry once, tagged with its name and status (a usage error is the caller's, not the
   * service's). Context-free commands ({@code config}, {@code encrypt}) print their output alone:
   * it is piped.
   */
  private static int execute(
      Class<?> rootCommand,
      CommandLine.IFactory factory,
      List<String[]> commands,
      Optional<ErrorReporter> errors) {
    for (String[] command : commands) {
      long started = System.nanoTime();
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      CommandLine line = commandLine(rootCommand, factory, thrown::set);
      int status = line.execute(command);
      String name = name(line, command);
      if (errors.isEmpty()) {
        if (status != CommandLine.ExitCode.OK) {
          return status;
        }
        continue;
      }
      SUMMARY
          .atInfo()
          .addKeyValue("command", name)
          .addKeyValue("status", status)
          .addKeyValue("t", (System.nanoTime() - started) / 1_000_000)
          .log("command.summary");
      if (status != CommandLine.ExitCode.OK) {
        if (status != CommandLine.ExitCode.USAGE) {
          Throwable failure =
              thrown.get() != null
                  ? thrown.get()
                  : new CommandFailure(name + " exited with status " + status);
          errors
              .get()
              .report(failure, Map.of("command", name, "exit_status", String.valueOf(status)));
        }
        return status;
      }
    }
    return CommandLine.ExitCode.OK;
  }

  // The command's words as parsed (e.g. "migrate apply"), never its arguments: they may be secret.
  private static String name(CommandLine line, String[] command) {
    CommandLine.ParseResult parsed = line.getParseResult();
    if (parsed == null) {
      return command.length == 0 ? "" : "(unparsed)";
    }
    List<String> words = new ArrayList<>();
    while (parsed.hasSubcommand()) {
      parsed = parsed.subcommand();
      words.add(parsed.commandSpec().name());
    }
    return String.join(" ", words);
  }

  /** Whether {@code args} name a {@link ContextFreeCommand}; a usage error is left to execute. */
  private static boolean isContextFree(Class<?> rootCommand, String[] args) {
    try {
      ParseResult parsed = commandLine(rootCommand, CommandLine.defaultFactory()).parseArgs(args);
      while (parsed.hasSubcommand()) {
        parsed = parsed.subcommand();
      }
      return parsed.commandSpec().userObject() instanceof ContextFreeCommand;
    } catch (CommandLine.ParameterException e) {
      return false;
    }
  }

  /** Creates commands without a context, handing context-free ones the resolved configuration. */
  private record ContextFreeFactory(ProcessConfiguration configuration)
      implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      K command = CommandLine.defaultFactory().create(type);
      if (command instanceof ContextFreeCommand contextFree) {
        contextFree.use(configuration);
      }
      return command;
    }
  }

  private static boolean needsNoContext(String[] args) {
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h") || arg.equals("-V") || arg.equals("--version")) {
        return true;
      }
    }
    return args.length == 0 || args[0].equals("completion") || args[0].equals("help");
  }

  static CommandLine commandLine(Class<?> rootCommand, CommandLine.IFactory factory) {
    return commandLine(rootCommand, factory, e -> {});
  }

  private static CommandLine commandLine(
      Class<?> rootCommand, CommandLine.IFactory factory, Consumer<Throwable> failures) {
    CommandLine line = new CommandLine(rootCommand, factory);
    line.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          failures.accept(e);
          cmd.getErr().println("plinth: " + cmd.getCommandName() + ": " + oneLine(e));
          cmd.getErr().flush();
          return CommandLine.ExitCode.SOFTWARE;
        });
    line.setParameterExceptionHandler(
        (e, args) -> {
          PrintWriter err = e.getCommandLine().getErr();
          err.println("plinth: " + e.getMessage());
          err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          err.flush();
          return CommandLine.ExitCode.USAGE;
        });
    return line;
  }

  /** The message, and its causes' when they add something; never a stack trace. */
  static String oneLine(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e; t != null && parts.size() < 3; t = t.getCause()) {
      String text = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (parts.stream().noneMatch(p -> p.contains(text))) {
        parts.add(text.replace('\n', ' '));
      }
    }
    return String.join(": ", parts);
  }
}
