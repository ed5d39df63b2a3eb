package dev.plinth.task.access;

import dev.plinth.platform.accounts.Account;
import dev.plinth.platform.accounts.AccountException;
import dev.plinth.platform.accounts.Accounts;
import dev.plinth.task.commands.CommandFailure;
import dev.plinth.task.commands.CommandGroup;
import io.micronaut.context.annotation.Prototype;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code account add|password|remove|list}: the accounts WEB's form login checks ({@code
 * APP_LOGIN}). A password is asked for twice at the terminal, or read as the first line of stdin
 * with {@code --password-stdin} (for scripts): never an argument, which the process list and shell
 * history would show.
 */
@Command(
    name = "account",
    mixinStandardHelpOptions = true,
    description = "The form login's accounts: add, password, remove, list.",
    subcommands = {
      AccountCommand.Add.class,
      AccountCommand.Password.class,
      AccountCommand.Remove.class,
      AccountCommand.ListAccounts.class
    })
public class AccountCommand extends CommandGroup {

  /** What the subcommands share: the accounts, the output, and how a password is read. */
  abstract static class OnAccounts implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Inject Accounts accounts;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    @Override
    public final Integer call() {
      String done;
      try {
        done = run();
      } catch (AccountException e) {
        throw new CommandFailure(spec.name() + ": " + e.getMessage(), e);
      }
      out().println(done);
      out().flush();
      return 0;
    }

    /** Does the work; returns the line that says what was done. */
    abstract String run();
  }

  /** The password of {@code add} and {@code password}. */
  abstract static class WithPassword extends OnAccounts {
    @Option(
        names = "--password-stdin",
        description = "Read the password from the first line of stdin instead of asking.")
    boolean fromStdin;

    String password() {
      if (fromStdin) {
        try {
          String line =
              new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                  .readLine();
          if (line == null) {
            throw new CommandFailure(spec.name() + ": --password-stdin, but stdin is empty");
          }
          return line;
        } catch (IOException e) {
          throw new CommandFailure(spec.name() + ": cannot read stdin (" + e.getMessage() + ")", e);
        }
      }
      Console console = System.console();
      if (console == null) {
        throw new CommandFailure(
            spec.name()
                + ": no terminal to ask for the password on; pipe it with --password-stdin");
      }
      char[] first = console.readPassword("Password: ");
      char[] again = console.readPassword("Password (again): ");
      try {
        if (first == null || !Arrays.equals(first, again)) {
          throw new CommandFailure(spec.name() + ": the two passwords differ");
        }
        return new String(first);
      } finally {
        if (first != null) {
          Arrays.fill(first, ' ');
        }
        if (again != null) {
          Arrays.fill(again, ' ');
        }
      }
    }
  }

  @Prototype
  @Command(name = "add", mixinStandardHelpOptions = true, description = "Make an account.")
  static class Add extends WithPassword {
    @Parameters(index = "0", paramLabel = "USERNAME", description = "What the form asks for.")
    String username;

    @Option(names = "--name", description = "How the pages greet its holder (default: USERNAME).")
    String displayName;

    @Option(names = "--role", description = "A role the routes may ask for; repeatable.")
    List<String> roles = List.of();

    @Override
    String run() {
      Account made = accounts.create(username, displayName, password(), roles);
      return "account "
          + made.username()
          + " added ("
          + made.displayName()
          + (made.roles().isEmpty() ? "" : "; roles " + String.join(", ", made.roles()))
          + ")";
    }
  }

  @Prototype
  @Command(
      name = "password",
      mixinStandardHelpOptions = true,
      description = "Set an account's password; its open sessions stay open until they expire.")
  static class Password extends WithPassword {
    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Override
    String run() {
      if (!accounts.setPassword(username, password())) {
        throw new CommandFailure("password: no account " + username);
      }
      return "account " + username + ": password set";
    }
  }

  @Prototype
  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an account.")
  static class Remove extends OnAccounts {
    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Override
    String run() {
      if (!accounts.remove(username)) {
        throw new CommandFailure("remove: no account " + username);
      }
      return "account " + username + " removed";
    }
  }

  @Prototype
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the accounts.")
  static class ListAccounts extends OnAccounts {
    @Override
    String run() {
      List<Account> all = accounts.list();
      for (Account account : all) {
        out()
            .printf(
                "%s\t%s\t%s%n",
                account.username(), account.displayName(), String.join(",", account.roles()));
      }
      return all.size() + (all.size() == 1 ? " account" : " accounts");
    }
  }
}
