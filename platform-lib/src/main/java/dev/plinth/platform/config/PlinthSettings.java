package dev.plinth.platform.config;

import dev.plinth.platform.tls.TrustBundle;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The environment contract, parsed and validated. Each optional set is present only when its first
 * variable is set; absent means the embedded default is used.
 *
 * @param mode {@code APP_RUN_MODE}
 * @param workerCount {@code APP_WORKER_COUNT}: task consumers in WORKER; without a broker, the
 *     threads that run tasks in-process (WEB does not read it for requests yet: issue 21)
 * @param debug {@code APP_DEBUG}
 * @param secretKey {@code APP_SECRET_KEY}; generated per process in debug when unset
 * @param appName {@code APP_NAME}: the mozlog {@code Logger} and Micronaut application name
 * @param port {@code PORT}: the public HTTP port (Dockerflow endpoints in every long-running mode)
 * @param management {@code APP_MANAGEMENT_*}: the management port and what it serves
 * @param dataDir {@code APP_DATA_DIR}: where embedded defaults keep files (H2, local appdata)
 * @param session {@code SESSION_*}: session options that apply whichever store is in use
 * @param cacheTtl {@code CACHE_TTL_SECONDS}: how long a cached value lives (Redis and Caffeine)
 * @param shutdown {@code APP_SHUTDOWN_*}: how the process drains when it is told to stop
 * @param openapiUi {@code APP_OPENAPI_UI}: WEB serves Swagger UI
 * @param trust {@code APP_CA_BUNDLE}: the authorities every TLS client trusts, the JVM's and these
 * @param traces {@code OTEL_*}: spans are recorded and exported over OTLP; false keeps
 *     OpenTelemetry out entirely
 * @param jwt {@code APP_JWT_*}: WEB authenticates bearer JWTs
 * @param login {@code APP_LOGIN}: WEB's pages have a form login against the login accounts
 * @param anonymousReads {@code APP_ANONYMOUS_READS}: the routes the application marks as reads need
 *     no authentication while the rest do
 */
public record PlinthSettings(
    RunMode mode,
    int workerCount,
    boolean debug,
    Secret secretKey,
    String appName,
    int port,
    Management management,
    Path dataDir,
    Optional<Database> database,
    Optional<RabbitMq> rabbitMq,
    Optional<Redis> sessionRedis,
    Optional<Redis> cacheRedis,
    Optional<Secret> sentryDsn,
    Optional<String> awsRegion,
    Optional<Appdata> appdata,
    Optional<CouchDb> couchDb,
    SessionOptions session,
    Duration cacheTtl,
    Shutdown shutdown,
    boolean openapiUi,
    TrustBundle trust,
    boolean traces,
    Optional<Jwt> jwt,
    boolean login,
    boolean anonymousReads) {

  /** Whether WEB authenticates at all: with neither tokens nor the login every route is open. */
  public boolean authentication() {
    return jwt.isPresent() || login;
  }

  /**
   * The management surface (docs/observability.md).
   *
   * @param port {@code APP_MANAGEMENT_PORT}: health, the Prometheus scrape and info, not published
   * @param endpoints {@code APP_MANAGEMENT_ENDPOINTS}: guarded endpoints switched on
   * @param token {@code APP_MANAGEMENT_TOKEN}: the bearer token the guarded endpoints require
   */
  public record Management(int port, java.util.Set<String> endpoints, Optional<Secret> token) {}

  /**
   * {@code DATABASE_*}: an external database when {@code DATABASE_HOST} is set.
   *
   * @param engine {@code DATABASE_ENGINE}: {@code postgresql}, {@code mysql} or {@code mariadb}
   * @param sslMode {@code DATABASE_SSLMODE}: libpq's names; empty leaves the driver's default
   */
  public record Database(
      String engine,
      String host,
      int port,
      String name,
      String username,
      Secret password,
      Optional<String> sslMode) {
    /** MySQL or MariaDB: one driver, one SQL family. */
    public boolean mysqlFamily() {
      return !engine.equals("postgresql");
    }

    /** Where it connects, without credentials: what {@code config} prints. */
    public String describe() {
      return engine
          + "://"
          + host
          + ":"
          + port
          + "/"
          + name
          + sslMode.map(mode -> " (sslmode " + mode + ")").orElse("");
    }
  }

  /**
   * {@code RABBITMQ_*}: the task broker when {@code RABBITMQ_HOST} is set.
   *
   * @param tls {@code RABBITMQ_TLS}: AMQPS, the server's certificate and host name verified
   */
  public record RabbitMq(
      String host, int port, String vhost, String username, Secret password, boolean tls) {}

  /**
   * {@code SESSION_REDIS_*} or {@code CACHE_REDIS_*}.
   *
   * @param tls {@code *_REDIS_TLS}: {@code rediss}, the server's certificate and host name verified
   * @param username {@code *_REDIS_USERNAME}: an ACL user; empty authenticates as {@code default}
   * @param password {@code *_REDIS_PASSWORD}: {@code AUTH}'s password
   */
  public record Redis(
      String host,
      int port,
      int db,
      boolean tls,
      Optional<String> username,
      Optional<Secret> password) {
    /** Where it connects, without credentials: what {@code config} prints. */
    public String describe() {
      return (tls ? "rediss://" : "redis://")
          + host
          + ":"
          + port
          + "/"
          + db
          + password.map(p -> " (AUTH as " + username.orElse("default") + ")").orElse(" (no AUTH)");
    }

    /** The Lettuce URI; it carries the password, so it goes to the client and nowhere else. */
    public String uri() {
      String userInfo =
          password
              .map(p -> username.map(Redis::encode).orElse("") + ":" + encode(p.reveal()) + "@")
              .orElse("");
      return (tls ? "rediss://" : "redis://") + userInfo + host + ":" + port + "/" + db;
    }

    private static String encode(String part) {
      return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }
  }

  /**
   * Session options.
   *
   * @param maxInactive {@code SESSION_MAX_INACTIVE_SECONDS}: a session expires after this idle time
   * @param redisKeyspaceEvents {@code SESSION_REDIS_KEYSPACE_EVENTS}: let the Redis session store
   *     switch on keyspace events with {@code CONFIG SET}; managed Redis refuses it, so operators
   *     turn this off and configure {@code notify-keyspace-events Egx} on the server instead
   */
  public record SessionOptions(Duration maxInactive, boolean redisKeyspaceEvents) {}

  /**
   * How the process drains on SIGTERM (docs/deployment.md, "Stopping"); their sum must stay below
   * the orchestrator's kill timeout.
   *
   * @param delay {@code APP_SHUTDOWN_DELAY_SECONDS}: how long {@code /__lbheartbeat__} answers 503
   *     while everything else is still served, before the listener closes
   * @param grace {@code APP_SHUTDOWN_GRACE_SECONDS}: how long in-flight work (requests, tasks, a
   *     BEAT tick, a TASK command's clean-up) may take to finish after that
   */
  public record Shutdown(Duration delay, Duration grace) {}

  /** {@code APPDATA_*}: S3 when {@code APPDATA_BUCKET} is set. */
  public record Appdata(String bucket, String prefix) {}

  /**
   * {@code APP_JWT_*}: how WEB checks bearer tokens.
   *
   * @param secret HS256's shared secret, or empty with {@code jwksUrl}
   * @param jwksUrl the JSON Web Key Set of the issuer's signing keys, or empty with {@code secret}
   * @param issuer the {@code iss} every token must carry, if set
   * @param audience an {@code aud} every token must name, if set
   */
  public record Jwt(
      Optional<Secret> secret,
      Optional<java.net.URI> jwksUrl,
      Optional<String> issuer,
      Optional<String> audience) {}

  /**
   * {@code COUCHDB_*}: the CouchDB server and database the application's documents live in.
   *
   * @param username with {@code password}: HTTP basic credentials, or neither (an open server)
   * @param tls {@code https}, the server's certificate and host name verified
   */
  public record CouchDb(
      String host,
      int port,
      String database,
      Optional<String> username,
      Optional<Secret> password,
      boolean tls) {
    /** The server's base URL. */
    public String url() {
      return (tls ? "https://" : "http://") + host + ":" + port;
    }
  }
}
