package dev.plinth.platform.config;

/**
 * The platform's {@code plinth.*} Micronaut property keys, one constant each: the contract sets
 * most of them ({@code boot.ContractProperties}), beans switch on by them and configuration types
 * bind them. A mode's own keys live in its module (BEAT's in {@code BeatConfiguration}). The names
 * under which the platform configures a Micronaut module, where its beans switch on by them, are
 * here too.
 */
public final class PlinthProperties {
  /** {@code APP_WORKER_COUNT}. */
  public static final String WORKER_COUNT = "plinth.worker-count";

  /** {@code APP_SHUTDOWN_GRACE_SECONDS}: the whole drain's budget. */
  public static final String SHUTDOWN_GRACE = "plinth.shutdown.grace";

  /** The task layer ({@code TasksConfiguration}). */
  public static final String TASKS = "plinth.tasks";

  /** {@code false} removes the whole task layer (queue, state, worker). */
  public static final String TASKS_ENABLED = TASKS + ".enabled";

  /** The part of the drain's budget running tasks get. */
  public static final String TASKS_SHUTDOWN_GRACE = TASKS + ".shutdown-grace";

  /** How long a publish waits for the broker's confirm. */
  public static final String TASKS_CONFIRM_TIMEOUT = TASKS + ".confirm-timeout";

  /** Whether runs are recorded in {@code task_run}. */
  public static final String TASKS_RECORD_STATE = TASKS + ".record-state";

  /** micronaut-rabbitmq's switch: {@code false} without {@code RABBITMQ_HOST}. */
  public static final String RABBITMQ_ENABLED = "rabbitmq.enabled";

  /** The micronaut-rabbitmq connection that publishes (tasks, retries, dead letters, replies). */
  public static final String BROKER_PUBLISHER = "plinth-publisher";

  /** The micronaut-rabbitmq connection that consumes, apart so flow control never blocks acks. */
  public static final String BROKER_CONSUMER = "plinth-consumer";

  /** Present only with {@code RABBITMQ_HOST}: the broker-backed beans require it. */
  public static final String BROKER_HOST = "rabbitmq.servers." + BROKER_PUBLISHER + ".host";

  /** Sentry ({@code SentryConfiguration}). */
  public static final String SENTRY = "plinth.sentry";

  /** {@code true} when {@code SENTRY_DSN} is set. */
  public static final String SENTRY_CONFIGURED = SENTRY + ".configured";

  /**
   * micronaut-tracing's switch for its OpenTelemetry SDK, HTTP span filters and our task spans; the
   * contract sets it from {@code OTEL_*}.
   */
  public static final String TRACING_ENABLED = "micronaut.otel.enabled";

  /** {@code false} keeps Sentry off even with a DSN. */
  public static final String SENTRY_ENABLED = SENTRY + ".enabled";

  /** The named Redis server of {@code SESSION_REDIS_*}; present only when it is set. */
  public static final String SESSION_REDIS_SERVER_NAME = "plinth.session.redis.server-name";

  /** The named Redis server of {@code CACHE_REDIS_*}; present only when it is set. */
  public static final String CACHE_REDIS_SERVER_NAME = "plinth.cache.redis.server-name";

  /** {@code CACHE_TTL_SECONDS}. */
  public static final String CACHE_TTL = "plinth.cache.ttl";

  /** Where the embedded appdata store keeps its files, under {@code APP_DATA_DIR}. */
  public static final String APPDATA_LOCAL_DIRECTORY = "plinth.appdata.local-directory";

  /** {@code APPDATA_BUCKET}: present only when it is set. */
  public static final String APPDATA_S3_BUCKET = "plinth.appdata.s3.bucket";

  /** {@code COUCHDB_HOST} is set: the document store's beans are on. */
  public static final String COUCHDB_ENABLED = "plinth.couchdb.enabled";

  /** {@code APPDATA_PREFIX}. */
  public static final String APPDATA_S3_PREFIX = "plinth.appdata.s3.prefix";

  /** Path-style addressing for appdata's S3 client (default: on with an endpoint override). */
  public static final String APPDATA_S3_PATH_STYLE = "plinth.appdata.s3.path-style";

  /** The multipart part size of appdata uploads to S3. */
  public static final String APPDATA_S3_PART_SIZE = "plinth.appdata.s3.part-size";

  /** How long a Redis command may take before it fails (sessions, caches). */
  public static final String REDIS_COMMAND_TIMEOUT = "plinth.redis.command-timeout";

  /** How long connecting to a Redis may take. */
  public static final String REDIS_CONNECT_TIMEOUT = "plinth.redis.connect-timeout";

  /** The in-memory cache's bound, entries per cache. */
  public static final String CACHE_MAXIMUM_SIZE = "plinth.cache.maximum-size";

  /** {@code APP_LOGIN}: WEB's form login and its pages are on. */
  public static final String LOGIN_ENABLED = "plinth.login.enabled";

  /** {@code APP_ANONYMOUS_READS}: the routes the application marks as reads need no login. */
  public static final String SECURITY_ANONYMOUS_READS = "plinth.security.anonymous-reads";

  /** Origins besides the service's own that may send state-changing requests. */
  public static final String HTTP_ALLOWED_ORIGINS = "plinth.http.allowed-origins";

  /** The management endpoints {@code APP_MANAGEMENT_ENDPOINTS} switched on, behind the token. */
  public static final String MANAGEMENT_GUARDED_ENDPOINTS = "plinth.management.guarded-endpoints";

  /** HTTP request limits ({@code RequestBodyLimits}). */
  public static final String HTTP = "plinth.http";

  /** {@code false} leaves Micronaut's own error bodies in place of problem JSON. */
  public static final String HTTP_PROBLEMS_ENABLED = HTTP + ".problems.enabled";

  /** The database and migrations checks ({@code DatabaseChecksConfiguration}). */
  public static final String DATABASE_CHECKS = "plinth.database.checks";

  /**
   * The migrations' SQL family of the database: {@code postgresql} (PostgreSQL and the embedded H2)
   * or {@code mysql} (MySQL and MariaDB); each set's engine-specific folder is named by it.
   */
  public static final String DATABASE_FAMILY = "plinth.database.family";

  /** The Dockerflow endpoints ({@code DockerflowConfiguration}). */
  public static final String DOCKERFLOW = "plinth.dockerflow";

  /** Whether {@code /__lbheartbeat__} is answered in the Netty pipeline, before routing. */
  public static final String DOCKERFLOW_IN_PIPELINE = DOCKERFLOW + ".lbheartbeat-in-pipeline";

  /** The {@code request.summary} log line ({@code RequestSummaryConfiguration}). */
  public static final String REQUEST_SUMMARY = "plinth.logging.request-summary";

  /** {@code false} drops the {@code request.summary} line. */
  public static final String REQUEST_SUMMARY_ENABLED = REQUEST_SUMMARY + ".enabled";

  /** {@code APP_OPENAPI_UI}: WEB's Swagger UI mapping is on. */
  public static final String OPENAPI_UI_ENABLED = "plinth.openapi-ui.enabled";

  private PlinthProperties() {}
}
