package dev.plinth.platform.boot;

import dev.plinth.platform.config.PlinthSettings;
import java.util.HashMap;
import java.util.Map;

/**
 * Translates the validated contract into Micronaut properties: the only place where a contract
 * variable meets a Micronaut property name. Optional sets switch their integration on here.
 */
final class ContractProperties {
  private ContractProperties() {}

  static Map<String, Object> of(PlinthSettings settings) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("micronaut.application.name", settings.appName());
    properties.put("micronaut.server.port", settings.port());
    properties.put("endpoints.all.port", settings.managementPort());
    properties.put("plinth.mode", settings.mode().name());
    properties.put("plinth.debug", settings.debug());
    properties.put("plinth.worker-count", settings.workerCount());
    database(settings, properties);
    rabbitMq(settings, properties);
    return properties;
  }

  private static void database(PlinthSettings settings, Map<String, Object> properties) {
    String prefix = "datasources.default.";
    settings
        .database()
        .ifPresentOrElse(
            db -> {
              properties.put(prefix + "url", db.jdbcUrl());
              properties.put(prefix + "username", db.username());
              properties.put(prefix + "password", db.password().reveal());
              properties.put(prefix + "driver-class-name", "org.postgresql.Driver");
              properties.put(prefix + "dialect", "POSTGRES");
            },
            () -> {
              // The embedded default: an H2 file database in PostgreSQL mode, same migrations.
              String file = settings.dataDir().resolve("plinth").toAbsolutePath().toString();
              properties.put(
                  prefix + "url",
                  "jdbc:h2:file:"
                      + file
                      + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                      + ";AUTO_SERVER=FALSE");
              properties.put(prefix + "username", "sa");
              properties.put(prefix + "password", "");
              properties.put(prefix + "driver-class-name", "org.h2.Driver");
              properties.put(prefix + "dialect", "H2");
            });
  }

  // Present only with RABBITMQ_HOST: the broker-backed task beans require plinth.tasks.broker.host,
  // the in-process queue requires its absence.
  private static void rabbitMq(PlinthSettings settings, Map<String, Object> properties) {
    settings
        .rabbitMq()
        .ifPresent(
            mq -> {
              String prefix = "plinth.tasks.broker.";
              properties.put(prefix + "host", mq.host());
              properties.put(prefix + "port", mq.port());
              properties.put(prefix + "vhost", mq.vhost());
              properties.put(prefix + "username", mq.username());
              properties.put(prefix + "password", mq.password().reveal());
            });
  }
}
