package dev.plinth.platform.dockerflow;

/**
 * The platform's heartbeat checks in one table: each check's name (its key under {@code checks} in
 * {@code /__heartbeat__}) and the stable ids of the messages it reports, which alerts and runbooks
 * key on. A mode's own checks keep theirs beside them (BEAT's {@code beat}, WORKER's {@code
 * task_consumers}). Every check may also report {@code <prefix>.E000} when it throws ({@link
 * HealthCheck}).
 */
public final class CheckIds {
  private CheckIds() {}

  /** The database answers a query. */
  public static final String DATABASE = "database";

  public static final String DATABASE_UNREACHABLE = "plinth.database.E001";

  /** Every migration of the build is applied, none failed. */
  public static final String MIGRATIONS = "migrations";

  public static final String MIGRATIONS_PENDING = "plinth.migrations.E001";
  public static final String MIGRATIONS_FAILED = "plinth.migrations.E002";
  public static final String MIGRATIONS_NOT_CONFIGURED = "plinth.migrations.E003";

  /** The task broker's connection is open. */
  public static final String BROKER = "broker";

  public static final String BROKER_DOWN = "plinth.broker.E001";
  public static final String BROKER_UNREACHABLE = "plinth.broker.E002";

  /** The appdata bucket takes a write, read and delete. */
  public static final String APPDATA = "appdata";

  public static final String APPDATA_FAILED = "plinth.appdata.E001";

  /** The session Redis answers PING. */
  public static final String SESSION_REDIS = "session-redis";

  public static final String SESSION_REDIS_UNREACHABLE = "plinth.session-redis.E001";

  /** The cache Redis answers PING. */
  public static final String CACHE_REDIS = "cache-redis";

  public static final String CACHE_REDIS_UNREACHABLE = "plinth.cache-redis.E001";

  /** The CouchDB database answers with the configured credentials. */
  public static final String COUCHDB = "couchdb";

  public static final String COUCHDB_UNREACHABLE = "plinth.couchdb.E001";
  public static final String COUCHDB_REFUSED = "plinth.couchdb.E002";
  public static final String COUCHDB_MISSING = "plinth.couchdb.E003";
}
