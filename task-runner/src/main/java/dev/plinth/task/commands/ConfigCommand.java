package dev.plinth.task.commands;

import dev.plinth.platform.boot.ProcessConfiguration;
import dev.plinth.platform.config.EnvironmentContract;
import dev.plinth.platform.config.PlinthSettings;
import dev.plinth.platform.config.ResolvedEnvironment;
import dev.plinth.platform.config.Secret;
import io.micronaut.context.annotation.Prototype;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code config}: every variable of the environment contract with the value this process resolved
 * (after KMS), secrets as {@code ********}, then the integrations the values switched on. Touches
 * no backing service, and on its own starts no application context ({@link ContextFreeCommand}).
 */
@Prototype
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Print the resolved configuration; secrets are shown as ********.")
public class ConfigCommand implements Callable<Integer>, ContextFreeCommand {
  /**
   * The contract's variables (in the order of docs/environment.md), then the AWS SDK's own that
   * point KMS and S3 elsewhere.
   */
  static final List<String> VARIABLES =
      Stream.concat(
              EnvironmentContract.VARIABLES.stream(),
              Stream.of("AWS_ENDPOINT_URL_KMS", "AWS_ENDPOINT_URL_S3"))
          .toList();

  @Spec CommandSpec spec;

  @Inject ResolvedEnvironment environment;

  @Inject PlinthSettings settings;

  @Override
  public void use(ProcessConfiguration configuration) {
    this.environment = configuration.environment();
    this.settings = configuration.settings();
  }

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    out.printf("%-22s %s%n", "VARIABLE", "VALUE");
    for (String name : VARIABLES) {
      out.printf("%-22s %s%n", name, shown(name));
    }
    out.println();
    out.printf("%-22s %s%n", "INTEGRATION", "RESOLVED TO");
    out.printf("%-22s %s%n", "mode", settings.mode());
    out.printf(
        "%-22s %s%n",
        "database",
        settings
            .database()
            .map(PlinthSettings.Database::describe)
            .orElse("embedded H2 in " + settings.dataDir().toAbsolutePath()));
    out.printf(
        "%-22s %s%n",
        "tasks",
        settings
            .rabbitMq()
            .map(
                b ->
                    (b.tls() ? "RabbitMQ over TLS " : "RabbitMQ ")
                        + b.host()
                        + ":"
                        + b.port()
                        + b.vhost())
            .orElse("in process (no broker)"));
    out.printf(
        "%-22s %s%n",
        "session", settings.sessionRedis().map(PlinthSettings.Redis::describe).orElse("in memory"));
    out.printf(
        "%-22s %s%n",
        "cache", settings.cacheRedis().map(PlinthSettings.Redis::describe).orElse("in memory"));
    out.printf(
        "%-22s %s%n",
        "appdata",
        settings
            .appdata()
            .map(a -> "s3://" + a.bucket() + "/" + a.prefix())
            .orElse("local directory under " + settings.dataDir()));
    out.printf(
        "%-22s %s%n",
        "trusted authorities",
        "the JVM's"
            + (settings.trust().extraCertificates().isEmpty()
                ? ""
                : " and " + settings.trust().extraCertificates().size() + " of APP_CA_BUNDLE"));
    out.printf("%-22s %s%n", "errors", settings.sentryDsn().isPresent() ? "Sentry" : "off");
    out.flush();
    return 0;
  }

  private String shown(String name) {
    String value = environment.get(name);
    if (value == null) {
      return "(unset)";
    }
    if (value.contains("-----BEGIN")) {
      return "(PEM content)"; // a bundle given inline is many lines long
    }
    return secret(name) ? Secret.REDACTED : value;
  }

  /** Secret by the contract, by KMS decryption, or by a name that says so. */
  private boolean secret(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    return EnvironmentContract.SECRET_VARIABLES.contains(name)
        || environment.isSecret(name)
        || upper.contains("PASSWORD")
        || upper.contains("SECRET")
        || upper.contains("TOKEN")
        || upper.endsWith("_DSN");
  }
}
