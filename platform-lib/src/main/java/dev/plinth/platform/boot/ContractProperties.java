package dev.plinth.platform.boot;

import dev.plinth.platform.config.EnvironmentContract;
import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.config.PlinthSettings;
import dev.plinth.platform.tls.TrustBundle;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    management(settings.management(), properties);
    properties.put(PlinthProperties.WORKER_COUNT, settings.workerCount());
    properties.put(PlinthProperties.OPENAPI_UI_ENABLED, settings.openapiUi());
    // One budget for finishing work on SIGTERM, whichever mode does the work.
    properties.put(PlinthProperties.SHUTDOWN_GRACE, settings.shutdown().grace());
    properties.put(PlinthProperties.TASKS_SHUTDOWN_GRACE, settings.shutdown().grace());
    database(settings, properties);
    sentry(settings, properties);
    session(settings, properties);
    cache(settings, properties);
    appdata(settings, properties);
    security(settings, properties);
    settings.couchDb().ifPresent(c -> properties.put(PlinthProperties.COUCHDB_ENABLED, true));
    rabbitMq(settings, properties);
    traces(settings, properties);
    properties.putAll(settings.mode().properties());
    return properties;
  }

  /**
   * Guarded endpoints an operator switched on: enabled, and left to {@code ManagementTokenFilter}
   * rather than Micronaut's sensitive flag, which without micronaut-security refuses everyone.
   */
  private static void management(
      PlinthSettings.Management management, Map<String, Object> properties) {
    properties.put("endpoints.all.port", management.port());
    for (String endpoint : management.endpoints()) {
      properties.put("endpoints." + endpoint + ".enabled", true);
      properties.put("endpoints." + endpoint + ".sensitive", false);
    }
    if (!management.endpoints().isEmpty()) {
      properties.put(
          PlinthProperties.MANAGEMENT_GUARDED_ENDPOINTS, List.copyOf(management.endpoints()));
    }
  }

  /** Sentry is configured by SENTRY_DSN; the DSN itself stays in PlinthSettings, not here. */
  private static void sentry(PlinthSettings settings, Map<String, Object> properties) {
    properties.put(PlinthProperties.SENTRY_CONFIGURED, settings.sentryDsn().isPresent());
  }

  /**
   * micronaut-tracing's switch: off, there is no OpenTelemetry SDK, no HTTP span filter and no task
   * span. On, spans go out over OTLP/HTTP (the SDK's other {@code OTEL_*} variables apply); the
   * Dockerflow, health and scrape paths are not traced (pollers would bury the requests).
   */
  private static void traces(PlinthSettings settings, Map<String, Object> properties) {
    properties.put(PlinthProperties.TRACING_ENABLED, settings.traces());
    if (settings.traces()) {
      properties.put("otel.traces.exporter", "otlp");
      properties.put("otel.exporter.otlp.protocol", EnvironmentContract.OTLP_PROTOCOL);
      properties.put("otel.exclusions", List.of("/__[a-z]+__", "/(health|prometheus|info)(/.*)?"));
    }
  }

  /** Named Redis servers: sessions and caches each have their own connection and database. */
  static final String SESSION_REDIS_SERVER = "session";

  static final String CACHE_REDIS_SERVER = "cache";

  /** micronaut-aws-sdk-v2's region property. */
  static final String AWS_REGION = "aws.region";

  private static void session(PlinthSettings settings, Map<String, Object> properties) {
    String http = "micronaut.session.http.";
    // HttpOnly is always set by the cookie strategy; Secure unless debug (plain http locally).
    properties.put(http + "cookie-secure", !settings.debug());
    properties.put(http + "cookie-same-site", "Lax");
    // Cookie only: the header strategy would send the id in Authorization-Info (readable by
    // scripts, logged by proxies) and accept it back from any request header.
    properties.put(http + "header", false);
    properties.put("micronaut.session.max-inactive-interval", settings.session().maxInactive());
    settings
        .sessionRedis()
        .ifPresent(
            redis -> {
              properties.put("redis.servers." + SESSION_REDIS_SERVER + ".uri", redis.uri());
              properties.put(http + "redis.enabled", true);
              properties.put(http + "redis.server-name", SESSION_REDIS_SERVER);
              properties.put(
                  http + "redis.enable-keyspace-events", settings.session().redisKeyspaceEvents());
              properties.put(PlinthProperties.SESSION_REDIS_SERVER_NAME, SESSION_REDIS_SERVER);
            });
  }

  private static void cache(PlinthSettings settings, Map<String, Object> properties) {
    properties.put(PlinthProperties.CACHE_TTL, settings.cacheTtl());
    settings
        .cacheRedis()
        .ifPresent(
            redis -> {
              properties.put("redis.servers." + CACHE_REDIS_SERVER + ".uri", redis.uri());
              properties.put(PlinthProperties.CACHE_REDIS_SERVER_NAME, CACHE_REDIS_SERVER);
            });
  }

  // micronaut-security (WEB's) is on only with a key to check tokens by or the login; the routes'
  // access is the mode's own (web-service's application.properties and @Secured).
  private static void security(PlinthSettings settings, Map<String, Object> properties) {
    properties.put("micronaut.security.enabled", settings.authentication());
    properties.put(PlinthProperties.LOGIN_ENABLED, settings.login());
    properties.put(PlinthProperties.SECURITY_ANONYMOUS_READS, settings.anonymousReads());
    settings
        .jwt()
        .ifPresent(
            jwt -> {
              String signatures = "micronaut.security.token.jwt.signatures.";
              jwt.secret()
                  .ifPresent(
                      secret -> {
                        properties.put(signatures + "secret.validation.secret", secret.reveal());
                        properties.put(signatures + "secret.validation.jws-algorithm", "HS256");
                      });
              jwt.jwksUrl()
                  .ifPresent(url -> properties.put(signatures + "jwks.plinth.url", url.toString()));
              String claims = "micronaut.security.token.jwt.claims-validators.";
              jwt.issuer().ifPresent(issuer -> properties.put(claims + "issuer", issuer));
              jwt.audience().ifPresent(audience -> properties.put(claims + "audience", audience));
            });
  }

  private static void appdata(PlinthSettings settings, Map<String, Object> properties) {
    String local = settings.dataDir().resolve("appdata").toAbsolutePath().toString();
    properties.put(PlinthProperties.APPDATA_LOCAL_DIRECTORY, local);
    settings
        .appdata()
        .ifPresent(
            appdata -> {
              properties.put(PlinthProperties.APPDATA_S3_BUCKET, appdata.bucket());
              properties.put(PlinthProperties.APPDATA_S3_PREFIX, appdata.prefix());
              // micronaut-aws's region chain reads aws.region first; the bucket's default region.
              properties.put(AWS_REGION, settings.awsRegion().orElse("us-east-1"));
            });
  }

  private static void database(PlinthSettings settings, Map<String, Object> properties) {
    String prefix = "datasources.default.";
    settings
        .database()
        .ifPresentOrElse(
            db -> {
              properties.put(prefix + "url", jdbcUrl(db, settings.trust()));
              properties.put(prefix + "username", db.username());
              properties.put(prefix + "password", db.password().reveal());
              boolean mysql = db.mysqlFamily();
              properties.put(
                  prefix + "driver-class-name",
                  mysql ? "org.mariadb.jdbc.Driver" : "org.postgresql.Driver");
              properties.put(prefix + "dialect", mysql ? "MYSQL" : "POSTGRES");
              properties.put(PlinthProperties.DATABASE_FAMILY, mysql ? "mysql" : "postgresql");
            },
            () -> {
              // The embedded default: an H2 file database in PostgreSQL mode, same migrations.
              String file = settings.dataDir().resolve("plinth").toAbsolutePath().toString();
              properties.put(
                  prefix + "url",
                  "jdbc:h2:file:"
                      + file
                      + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                      + ";AUTO_SERVER=FALSE"
                      // H2's own shutdown hook would close the database while a SIGTERM drain
                      // still serves requests; the pool closes it when the context stops.
                      + ";DB_CLOSE_ON_EXIT=FALSE");
              properties.put(prefix + "username", "sa");
              properties.put(prefix + "password", "");
              properties.put(prefix + "driver-class-name", "org.h2.Driver");
              properties.put(prefix + "dialect", "H2");
              properties.put(PlinthProperties.DATABASE_FAMILY, "postgresql");
            });
  }

  /**
   * The JDBC URL. PostgreSQL: {@code sslmode} as given; the verifying modes check against every
   * authority of the trust bundle (pgjdbc reads them from a file, not from the JVM's store). MySQL
   * and MariaDB (MariaDB Connector/J for both; {@code jdbc:mysql:} so that Flyway treats a MySQL
   * server as one): affected rows rather than found rows (an insert that met its duplicate reports
   * 0, which BEAT's ownership of a run relies on), UTC on both sides for DATETIME columns, and
   * libpq's modes in the driver's names.
   */
  static String jdbcUrl(PlinthSettings.Database db, TrustBundle trust) {
    String address = "//" + db.host() + ":" + db.port() + "/" + db.name();
    Optional<String> mode = db.sslMode();
    boolean verify = mode.map(m -> m.startsWith("verify-")).orElse(false);
    if (!db.mysqlFamily()) {
      return "jdbc:postgresql:"
          + address
          + mode.map(m -> "?sslmode=" + m).orElse("")
          + (verify ? "&sslrootcert=" + trust.pemFile() : "");
    }
    boolean mysql = db.engine().equals("mysql");
    return (mysql ? "jdbc:mysql:" : "jdbc:mariadb:")
        + address
        + "?useAffectedRows=true&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true"
        + (mysql ? "&permitMysqlScheme" : "")
        + mode.map(m -> "&sslMode=" + ("require".equals(m) ? "trust" : m)).orElse("")
        + (verify ? "&serverSslCert=" + trust.pemFile() : "");
  }

  /**
   * Two micronaut-rabbitmq connections from {@code RABBITMQ_*}, or none: without a broker the
   * module is off and the in-process queue serves (it requires the absence of {@link
   * PlinthProperties#BROKER_HOST}).
   */
  private static void rabbitMq(PlinthSettings settings, Map<String, Object> properties) {
    settings
        .rabbitMq()
        .ifPresentOrElse(
            mq -> {
              for (String name :
                  List.of(PlinthProperties.BROKER_PUBLISHER, PlinthProperties.BROKER_CONSUMER)) {
                String prefix = "rabbitmq.servers." + name + ".";
                properties.put(prefix + "host", mq.host());
                properties.put(prefix + "port", mq.port());
                properties.put(prefix + "virtual-host", mq.vhost());
                properties.put(prefix + "username", mq.username());
                properties.put(prefix + "password", mq.password().reveal());
                properties.put(prefix + "requested-heartbeat", BROKER_HEARTBEAT_SECONDS);
                properties.put(prefix + "connection-timeout", BROKER_CONNECT_TIMEOUT_MILLIS);
                properties.put(prefix + "network-recovery-interval", BROKER_RECOVERY_MILLIS);
                // RabbitMQ's own ceiling (512 MiB): a delivery the broker accepted never exceeds
                // the client's limit, which would close the connection and redeliver it forever.
                // What a worker takes is bounded lower, by plinth.tasks.max-body-size.
                properties.put(prefix + "max-inbound-message-body-size", MAX_INBOUND_BODY);
              }
            },
            () -> properties.put(PlinthProperties.RABBITMQ_ENABLED, false));
  }

  static final int BROKER_HEARTBEAT_SECONDS = 30;
  static final int BROKER_CONNECT_TIMEOUT_MILLIS = 5000;
  static final int BROKER_RECOVERY_MILLIS = 1000;
  static final int MAX_INBOUND_BODY = 512 * 1024 * 1024;
}
