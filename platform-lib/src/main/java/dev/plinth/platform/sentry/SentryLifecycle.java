package dev.plinth.platform.sentry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.config.PlinthSettings;
import dev.plinth.platform.config.ResolvedEnvironment;
import dev.plinth.platform.logging.RequestIds;
import dev.plinth.platform.secrets.SecretRedactor;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.sentry.EventProcessor;
import io.sentry.Hint;
import io.sentry.Sentry;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions;
import io.sentry.logback.SentryAppender;
import io.sentry.protocol.User;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Starts Sentry once configuration is resolved (so a KMS-encrypted {@code SENTRY_DSN} works), and
 * stops it with the context. On only when {@code SENTRY_DSN} is set ({@code
 * plinth.sentry.configured} comes from the contract) and {@code plinth.sentry.enabled} is not
 * false; otherwise this bean does not exist and no Sentry class is loaded.
 *
 * <p>ERROR log events go to Sentry through a {@link SentryAppender} added to the root logger;
 * uncaught exceptions of any thread through Sentry's default handler; HTTP requests through {@link
 * SentryHttpFilter}; everything else through {@link ErrorReporter}.
 */
@Context
@Requires(property = PlinthProperties.SENTRY_CONFIGURED, value = "true")
@Requires(property = PlinthProperties.SENTRY_ENABLED, notEquals = "false")
final class SentryLifecycle {
  /**
   * Micronaut logs each unhandled HTTP exception here; SentryHttpFilter reports it with the request
   * attached, so the log event would only be a poorer duplicate.
   */
  static final String ROUTE_EXECUTOR_LOGGER = "io.micronaut.http.server.RouteExecutor";

  private static final Logger log = LoggerFactory.getLogger(SentryLifecycle.class);

  private final SentryAppender appender;

  SentryLifecycle(
      PlinthSettings settings,
      SentryConfiguration configuration,
      ResolvedEnvironment env,
      SecretRedactor redactor,
      JsonMapper json) {
    SentryOptions options = new SentryOptions();
    options.setDsn(settings.sentryDsn().orElseThrow().reveal());
    options.setEnvironment(configuration.environment());
    options.setRelease(
        Optional.ofNullable(configuration.release())
            .or(() -> release(json, Path.of(configuration.versionFile())))
            .orElse(null));
    options.setServerName(
        Optional.ofNullable(configuration.serverName()).orElseGet(() -> hostName(env)));
    options.setSendDefaultPii(false);
    options.setMaxRequestBodySize(SentryOptions.RequestSize.NONE);
    options.setEnableExternalConfiguration(false);
    options.addInAppInclude("dev.plinth");
    SentryErrorReporter.TAGGED_MDC_KEYS.forEach(options::addContextTag);
    options.setBeforeSend(new SentryEventScrubber(redactor));
    // A task's events (its ERROR lines, its reports) carry the user it ran for: the MDC's uid.
    options.addEventProcessor(
        new EventProcessor() {
          @Override
          public SentryEvent process(SentryEvent event, Hint hint) {
            String uid = MDC.get(RequestIds.UID_MDC_KEY);
            if (uid != null && (event.getUser() == null || event.getUser().getId() == null)) {
              event.setUser(user(uid));
            }
            return event;
          }
        });
    // Closed (and flushed) when the context stops, after a SIGTERM drain, not when it begins.
    options.setEnableShutdownHook(false);
    Sentry.init(options);

    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    appender = new SentryAppender();
    appender.setName("plinth-sentry");
    appender.setContext(logging);
    appender.setOptions(options);
    appender.setMinimumEventLevel(Level.ERROR);
    appender.setMinimumBreadcrumbLevel(Level.INFO);
    appender.addFilter(
        new Filter<>() {
          @Override
          public FilterReply decide(ILoggingEvent event) {
            return ROUTE_EXECUTOR_LOGGER.equals(event.getLoggerName())
                ? FilterReply.DENY
                : FilterReply.NEUTRAL;
          }
        });
    appender.start();
    logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    log.atInfo()
        .addKeyValue("environment", options.getEnvironment())
        .addKeyValue("release", options.getRelease())
        .log("Sentry error reporting on");
  }

  @PreDestroy
  void close() {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    appender.stop();
    Sentry.close();
  }

  /** The release from Dockerflow's version.json: its version, else its commit. */
  static Optional<String> release(JsonMapper json, Path versionFile) {
    try {
      Map<String, Object> version =
          json.readValue(
              Files.readAllBytes(versionFile), Argument.mapOf(String.class, Object.class));
      for (String key : new String[] {"version", "commit"}) {
        Object value = version.get(key);
        if (value != null && !value.toString().isBlank()) {
          return Optional.of(value.toString());
        }
      }
    } catch (NoSuchFileException e) {
      log.atInfo().addKeyValue("file", versionFile).log("No version.json: Sentry release unset");
    } catch (IOException | RuntimeException e) {
      log.atWarn()
          .addKeyValue("file", versionFile)
          .log("Unreadable version.json: Sentry release unset");
    }
    return Optional.empty();
  }

  private static String hostName(ResolvedEnvironment env) {
    String hostname = env.get("HOSTNAME");
    if (hostname != null && !hostname.isBlank()) {
      return hostname;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }

  /** The Sentry user for {@code uid}: its id only (no address, no name: no personal data). */
  static User user(String uid) {
    User user = new User();
    user.setId(uid);
    return user;
  }
}
