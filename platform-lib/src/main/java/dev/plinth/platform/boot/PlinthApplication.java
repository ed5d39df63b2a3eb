package dev.plinth.platform.boot;

import dev.plinth.platform.config.ConfigurationError;
import dev.plinth.platform.config.EnvironmentContract;
import dev.plinth.platform.config.PlinthSettings;
import dev.plinth.platform.config.ResolvedEnvironment;
import dev.plinth.platform.config.RunMode;
import dev.plinth.platform.config.SecretResolver;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.env.PropertySource;
import io.micronaut.runtime.EmbeddedApplication;
import io.micronaut.runtime.Micronaut;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a Plinth process: resolve secrets, validate the contract, then start Micronaut on the
 * result. A mode's {@code main} is one line: {@code PlinthApplication.run(MODE, Application.class,
 * args)}.
 */
public final class PlinthApplication {
  private static final Logger LOG = LoggerFactory.getLogger(PlinthApplication.class);

  /** Order of the platform's defaults: below a mode's application.yml (-300). */
  static final int DEFAULTS_ORDER = -400;

  /** Order of the contract-derived properties: above the environment, below -D properties. */
  static final int CONTRACT_ORDER = -150;

  private PlinthApplication() {}

  /**
   * The process entry point of a mode: starts the context and its server, and installs the drain
   * that SIGTERM runs ({@link ProcessShutdown}). Exits with status 1 and one line on a bad
   * variable, whether the contract or a bean's start-up check found it.
   */
  public static ApplicationContext run(RunMode mode, Class<?> mainClass, String... args) {
    long start = System.nanoTime();
    ApplicationContext context = null;
    try {
      ProcessConfiguration configuration = resolve(mode, System.getenv());
      // Built and started here rather than by Micronaut.start(), whose shutdown hook would stop
      // the server at once, racing the drain.
      context = builder(mainClass, configuration, args).build();
      context.start();
      EmbeddedApplication<?> application =
          context
              .findBean(EmbeddedApplication.class)
              .orElseThrow(() -> new IllegalStateException("no HTTP server on the class path"));
      application.start();
      ProcessShutdown.install(context, application, configuration.settings().shutdown());
      LOG.atInfo()
          .addKeyValue("mode", mode.name())
          .addKeyValue("startup_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
          .log("plinth.started");
      return context;
    } catch (RuntimeException e) {
      ConfigurationError error = configurationError(e);
      if (error != null) {
        System.err.println(error.toStartupLine());
      } else {
        LOG.atError().setCause(e).log("start-up failed: " + e.getMessage());
      }
      if (context != null && context.isRunning()) {
        context.close();
      }
      System.exit(1);
      throw e;
    }
  }

  // A bean's start-up check (e.g. BEAT's settings) arrives wrapped by the context.
  private static ConfigurationError configurationError(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConfigurationError error) {
        return error;
      }
    }
    return null;
  }

  /**
   * What a process of {@code mode} starts from: the raw environment with its secrets resolved (KMS
   * when configured), and the contract's settings parsed from it.
   *
   * @throws ConfigurationError naming the first bad variable
   */
  public static ProcessConfiguration resolve(RunMode mode, Map<String, String> rawEnvironment) {
    SecretResolver resolver = SecretResolvers.forEnvironment(rawEnvironment);
    ResolvedEnvironment env = resolver.resolve(rawEnvironment);
    return new ProcessConfiguration(env, EnvironmentContract.parse(env, mode));
  }

  /**
   * A context builder for {@code mode} on the given raw environment; tests and commands use it to
   * start a mode on an environment of their own.
   */
  public static ApplicationContextBuilder builder(
      RunMode mode, Class<?> mainClass, Map<String, String> rawEnvironment, String... args) {
    return builder(mainClass, resolve(mode, rawEnvironment), args);
  }

  /** A context builder on an already resolved configuration (its secrets are resolved once). */
  public static ApplicationContextBuilder builder(
      Class<?> mainClass, ProcessConfiguration configuration, String... args) {
    ResolvedEnvironment env = configuration.environment();
    PlinthSettings settings = configuration.settings();
    return Micronaut.build(args)
        .mainClass(mainClass)
        .banner(false)
        .deduceEnvironment(false)
        .environmentPropertySource(false)
        .propertySources(
            PropertySource.of("plinth-defaults", platformDefaults(), DEFAULTS_ORDER),
            new ResolvedEnvironmentPropertySource(env),
            PropertySource.of("plinth-contract", ContractProperties.of(settings), CONTRACT_ORDER))
        .singletons(settings, env);
  }

  // Properties, not YAML: SnakeYAML costs start-up time and no mode needs it.
  private static Map<String, Object> platformDefaults() {
    Properties defaults = new Properties();
    try (InputStream in =
        PlinthApplication.class.getResourceAsStream("/plinth-defaults.properties")) {
      if (in == null) {
        throw new IllegalStateException("plinth-defaults.properties is missing from platform-lib");
      }
      defaults.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Object> map = new HashMap<>();
    defaults.forEach((key, value) -> map.put(key.toString(), value));
    return map;
  }
}
