package dev.plinth.platform.config;

/**
 * The names of the environment contract's variables, one constant each, in the order of
 * docs/environment.md; {@link #ALL} is that order (what {@code config} prints, what {@code
 * EnvironmentDocTest} holds the page to). Everything that reads a contract variable names it from
 * here.
 */
public final class Variables {
  private Variables() {}

  public static final String APP_RUN_MODE = "APP_RUN_MODE";
  public static final String APP_WORKER_COUNT = "APP_WORKER_COUNT";
  public static final String APP_DEBUG = "APP_DEBUG";
  public static final String APP_SECRET_KEY = "APP_SECRET_KEY";
  public static final String PORT = "PORT";
  public static final String APP_MANAGEMENT_PORT = "APP_MANAGEMENT_PORT";
  public static final String APP_MANAGEMENT_ENDPOINTS = "APP_MANAGEMENT_ENDPOINTS";
  public static final String APP_MANAGEMENT_TOKEN = "APP_MANAGEMENT_TOKEN";
  public static final String APP_SHUTDOWN_DELAY_SECONDS = "APP_SHUTDOWN_DELAY_SECONDS";
  public static final String APP_SHUTDOWN_GRACE_SECONDS = "APP_SHUTDOWN_GRACE_SECONDS";
  public static final String APP_OPENAPI_UI = "APP_OPENAPI_UI";
  public static final String APP_NAME = "APP_NAME";
  public static final String APP_DATA_DIR = "APP_DATA_DIR";
  public static final String APP_JWT_SECRET = "APP_JWT_SECRET";
  public static final String APP_JWT_JWKS_URL = "APP_JWT_JWKS_URL";
  public static final String APP_JWT_ISSUER = "APP_JWT_ISSUER";
  public static final String APP_JWT_AUDIENCE = "APP_JWT_AUDIENCE";
  public static final String APP_LOGIN = "APP_LOGIN";
  public static final String APP_ANONYMOUS_READS = "APP_ANONYMOUS_READS";
  public static final String APP_LOG_FORMAT = "APP_LOG_FORMAT";
  public static final String APP_LOG_LEVEL = "APP_LOG_LEVEL";
  public static final String APP_ENVIRONMENT = "APP_ENVIRONMENT";
  public static final String APP_TASK_LIST = "APP_TASK_LIST";
  public static final String APP_CA_BUNDLE = "APP_CA_BUNDLE";
  public static final String DATABASE_HOST = "DATABASE_HOST";
  public static final String DATABASE_PORT = "DATABASE_PORT";
  public static final String DATABASE_NAME = "DATABASE_NAME";
  public static final String DATABASE_USERNAME = "DATABASE_USERNAME";
  public static final String DATABASE_PASSWORD = "DATABASE_PASSWORD";
  public static final String DATABASE_ENGINE = "DATABASE_ENGINE";
  public static final String DATABASE_SSLMODE = "DATABASE_SSLMODE";
  public static final String RABBITMQ_HOST = "RABBITMQ_HOST";
  public static final String RABBITMQ_PORT = "RABBITMQ_PORT";
  public static final String RABBITMQ_VHOST = "RABBITMQ_VHOST";
  public static final String RABBITMQ_USERNAME = "RABBITMQ_USERNAME";
  public static final String RABBITMQ_PASSWORD = "RABBITMQ_PASSWORD";
  public static final String RABBITMQ_TLS = "RABBITMQ_TLS";
  public static final String SESSION_REDIS_HOST = "SESSION_REDIS_HOST";
  public static final String SESSION_REDIS_PORT = "SESSION_REDIS_PORT";
  public static final String SESSION_REDIS_DB = "SESSION_REDIS_DB";
  public static final String SESSION_REDIS_TLS = "SESSION_REDIS_TLS";
  public static final String SESSION_REDIS_USERNAME = "SESSION_REDIS_USERNAME";
  public static final String SESSION_REDIS_PASSWORD = "SESSION_REDIS_PASSWORD";
  public static final String CACHE_REDIS_HOST = "CACHE_REDIS_HOST";
  public static final String CACHE_REDIS_PORT = "CACHE_REDIS_PORT";
  public static final String CACHE_REDIS_DB = "CACHE_REDIS_DB";
  public static final String CACHE_REDIS_TLS = "CACHE_REDIS_TLS";
  public static final String CACHE_REDIS_USERNAME = "CACHE_REDIS_USERNAME";
  public static final String CACHE_REDIS_PASSWORD = "CACHE_REDIS_PASSWORD";
  public static final String SESSION_MAX_INACTIVE_SECONDS = "SESSION_MAX_INACTIVE_SECONDS";
  public static final String SESSION_REDIS_KEYSPACE_EVENTS = "SESSION_REDIS_KEYSPACE_EVENTS";
  public static final String CACHE_TTL_SECONDS = "CACHE_TTL_SECONDS";
  public static final String APPDATA_BUCKET = "APPDATA_BUCKET";
  public static final String APPDATA_PREFIX = "APPDATA_PREFIX";
  public static final String COUCHDB_HOST = "COUCHDB_HOST";
  public static final String COUCHDB_PORT = "COUCHDB_PORT";
  public static final String COUCHDB_DATABASE = "COUCHDB_DATABASE";
  public static final String COUCHDB_USERNAME = "COUCHDB_USERNAME";
  public static final String COUCHDB_PASSWORD = "COUCHDB_PASSWORD";
  public static final String COUCHDB_TLS = "COUCHDB_TLS";
  public static final String SENTRY_DSN = "SENTRY_DSN";
  public static final String AWS_REGION = "AWS_REGION";
  public static final String AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL";
  public static final String OTEL_EXPORTER_OTLP_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
  public static final String OTEL_EXPORTER_OTLP_TRACES_ENDPOINT =
      "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
  public static final String OTEL_TRACES_EXPORTER = "OTEL_TRACES_EXPORTER";
  public static final String OTEL_EXPORTER_OTLP_PROTOCOL = "OTEL_EXPORTER_OTLP_PROTOCOL";
  public static final String OTEL_EXPORTER_OTLP_TRACES_PROTOCOL =
      "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL";
  public static final String OTEL_EXPORTER_OTLP_HEADERS = "OTEL_EXPORTER_OTLP_HEADERS";

  /** Every variable of the contract, in the order of docs/environment.md. */
  public static final java.util.List<String> ALL =
      java.util.List.of(
          APP_RUN_MODE,
          APP_WORKER_COUNT,
          APP_DEBUG,
          APP_SECRET_KEY,
          PORT,
          APP_MANAGEMENT_PORT,
          APP_MANAGEMENT_ENDPOINTS,
          APP_MANAGEMENT_TOKEN,
          APP_SHUTDOWN_DELAY_SECONDS,
          APP_SHUTDOWN_GRACE_SECONDS,
          APP_OPENAPI_UI,
          APP_NAME,
          APP_DATA_DIR,
          APP_JWT_SECRET,
          APP_JWT_JWKS_URL,
          APP_JWT_ISSUER,
          APP_JWT_AUDIENCE,
          APP_LOGIN,
          APP_ANONYMOUS_READS,
          APP_LOG_FORMAT,
          APP_LOG_LEVEL,
          APP_ENVIRONMENT,
          APP_TASK_LIST,
          APP_CA_BUNDLE,
          DATABASE_HOST,
          DATABASE_PORT,
          DATABASE_NAME,
          DATABASE_USERNAME,
          DATABASE_PASSWORD,
          DATABASE_ENGINE,
          DATABASE_SSLMODE,
          RABBITMQ_HOST,
          RABBITMQ_PORT,
          RABBITMQ_VHOST,
          RABBITMQ_USERNAME,
          RABBITMQ_PASSWORD,
          RABBITMQ_TLS,
          SESSION_REDIS_HOST,
          SESSION_REDIS_PORT,
          SESSION_REDIS_DB,
          SESSION_REDIS_TLS,
          SESSION_REDIS_USERNAME,
          SESSION_REDIS_PASSWORD,
          CACHE_REDIS_HOST,
          CACHE_REDIS_PORT,
          CACHE_REDIS_DB,
          CACHE_REDIS_TLS,
          CACHE_REDIS_USERNAME,
          CACHE_REDIS_PASSWORD,
          SESSION_MAX_INACTIVE_SECONDS,
          SESSION_REDIS_KEYSPACE_EVENTS,
          CACHE_TTL_SECONDS,
          APPDATA_BUCKET,
          APPDATA_PREFIX,
          COUCHDB_HOST,
          COUCHDB_PORT,
          COUCHDB_DATABASE,
          COUCHDB_USERNAME,
          COUCHDB_PASSWORD,
          COUCHDB_TLS,
          SENTRY_DSN,
          AWS_REGION,
          AWS_ENDPOINT_URL,
          OTEL_EXPORTER_OTLP_ENDPOINT,
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
          OTEL_TRACES_EXPORTER,
          OTEL_EXPORTER_OTLP_PROTOCOL,
          OTEL_EXPORTER_OTLP_TRACES_PROTOCOL,
          OTEL_EXPORTER_OTLP_HEADERS);
}
