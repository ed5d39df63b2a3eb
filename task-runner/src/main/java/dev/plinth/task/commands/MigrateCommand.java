package dev.plinth.task.commands;

import io.micronaut.context.annotation.Prototype;
import io.micronaut.context.annotation.Value;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code migrate apply|info|validate}: Flyway on the service's database, run explicitly (the TASK
 * mode does not migrate at start-up, so that {@code config} and {@code check} touch nothing).
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = "Database migrations (Flyway): apply, info, validate.",
    subcommands = {
      MigrateCommand.Apply.class,
      MigrateCommand.Info.class,
      MigrateCommand.Validate.class
    })
public class MigrateCommand extends CommandGroup {

  /** Flyway on the unwrapped data source: Flyway manages its own transactions. */
  @Prototype
  static class Migrations {
    @Inject DataSource dataSource;
    @Inject DataSourceResolver resolver;

    @Value("${flyway.datasources.default.locations:classpath:db/migration}")
    String locations;

    Flyway flyway() {
      return Flyway.configure()
          .dataSource(resolver.resolve(dataSource))
          .locations(locations.split(","))
          .load();
    }
  }

  @Prototype
  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = "Apply pending migrations.")
  static class Apply implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Inject Migrations migrations;

    @Override
    public Integer call() {
      MigrateResult result = migrations.flyway().migrate();
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "applied %d migration(s); schema version %s%n",
          result.migrationsExecuted,
          result.targetSchemaVersion == null
              ? result.initialSchemaVersion
              : result.targetSchemaVersion);
      out.flush();
      return 0;
    }
  }

  @Prototype
  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description = "List migrations and their state; exit 1 when some are pending.")
  static class Info implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Inject Migrations migrations;

    @Override
    public Integer call() {
      var info = migrations.flyway().info();
      PrintWriter out = spec.commandLine().getOut();
      out.printf("%-8s %-12s %s%n", "VERSION", "STATE", "DESCRIPTION");
      for (MigrationInfo m : info.all()) {
        out.printf(
            "%-8s %-12s %s%n",
            m.getVersion() == null ? "R" : m.getVersion().getVersion(),
            m.getState().getDisplayName(),
            m.getDescription());
      }
      int pending = info.pending().length;
      out.printf("%d pending%n", pending);
      out.flush();
      return pending == 0 ? 0 : 1;
    }
  }

  @Prototype
  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = "Check applied migrations against the ones in the build; exit 1 on a mismatch.")
  static class Validate implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Inject Migrations migrations;

    @Override
    public Integer call() {
      ValidateResult result = migrations.flyway().validateWithResult();
      PrintWriter out = spec.commandLine().getOut();
      if (result.validationSuccessful) {
        out.println("migrations valid");
        out.flush();
        return 0;
      }
      result.invalidMigrations.forEach(
          m -> out.println(m.version + " " + m.errorDetails.errorMessage));
      out.flush();
      throw new CommandFailure(result.getAllErrorMessages());
    }
  }
}
