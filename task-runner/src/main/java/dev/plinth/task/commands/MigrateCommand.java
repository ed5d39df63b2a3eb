package dev.plinth.task.commands;

import dev.plinth.platform.couchdb.CouchDb;
import dev.plinth.platform.database.PlatformMigrations;
import io.micronaut.context.annotation.Prototype;
import io.micronaut.flyway.FlywayConfigurationProperties;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code migrate apply|info|validate}: Flyway on the service's database, run explicitly (the TASK
 * mode does not migrate at start-up, so that {@code config} and {@code check} touch nothing). Both
 * sets, each with its own history: the platform's ({@code PlatformMigrations}) first, then the
 * application's. {@code apply} also creates the CouchDB database when {@code COUCHDB_HOST} is set.
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

  /** Flyway on the unwrapped data source (Flyway manages its own transactions), per set. */
  @Prototype
  static class Migrations {
    @Inject DataSource dataSource;
    @Inject DataSourceResolver resolver;

    @Inject
    @Named("default")
    FlywayConfigurationProperties configuration;

    /** The platform's set, then the application's, by name. */
    Map<String, Flyway> sets() {
      Map<String, Flyway> sets = new LinkedHashMap<>();
      sets.put("plinth", PlatformMigrations.flyway(base()));
      sets.put("app", base().load());
      return sets;
    }

    private FluentConfiguration base() {
      return Flyway.configure()
          .configuration(configuration.getFluentConfiguration())
          .dataSource(resolver.resolve(dataSource));
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
    @Inject Optional<CouchDb> couch;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      // The document store's database, created where the schema is: before the first start.
      couch.ifPresent(
          c -> {
            c.createDatabase();
            out.printf("couchdb: database %s ready%n", c.database());
          });
      migrations
          .sets()
          .forEach(
              (set, flyway) -> {
                MigrateResult result = flyway.migrate();
                out.printf(
                    "%s: applied %d migration(s); schema version %s%n",
                    set,
                    result.migrationsExecuted,
                    result.targetSchemaVersion == null
                        ? result.initialSchemaVersion
                        : result.targetSchemaVersion);
              });
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
      PrintWriter out = spec.commandLine().getOut();
      out.printf("%-7s %-8s %-12s %s%n", "SET", "VERSION", "STATE", "DESCRIPTION");
      int pending = 0;
      for (Map.Entry<String, Flyway> set : migrations.sets().entrySet()) {
        var info = set.getValue().info();
        for (MigrationInfo m : info.all()) {
          out.printf(
              "%-7s %-8s %-12s %s%n",
              set.getKey(),
              m.getVersion() == null ? "R" : m.getVersion().getVersion(),
              m.getState().getDisplayName(),
              m.getDescription());
        }
        pending += info.pending().length;
      }
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
      PrintWriter out = spec.commandLine().getOut();
      List<String> errors = new ArrayList<>();
      migrations
          .sets()
          .forEach(
              (set, flyway) -> {
                ValidateResult result = flyway.validateWithResult();
                if (!result.validationSuccessful) {
                  result.invalidMigrations.forEach(
                      m -> out.println(set + " " + m.version + " " + m.errorDetails.errorMessage));
                  errors.add(set + ": " + result.getAllErrorMessages());
                }
              });
      out.flush();
      if (!errors.isEmpty()) {
        throw new CommandFailure(String.join("; ", errors));
      }
      out.println("migrations valid");
      out.flush();
      return 0;
    }
  }
}
