package dev.plinth.platform.config;

import dev.plinth.platform.tls.TrustBundle;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds the environment-variable contract (docs/environment.md) to {@link PlinthSettings}.
 * Framework free and strict: the first bad variable stops start-up with a {@link
 * ConfigurationError} naming it. A set is switched on by its first variable, as in the base-python
 * contract. Over the house's 400 lines: every variable's rule is here, beside the others of its
 * set, so the contract reads in one place.
 */
public final class EnvironmentContract {
  /**
   * Every variable of the contract, in the order of docs/environment.md: what {@code config}
   * prints, and what {@code EnvironmentDocTest} holds that page's tables to.
   */
  public static final List<String> VARIABLES = Variables.ALL;

  /** Variables whose values are secrets whether or not KMS decrypted them. */
  public static final Set<String> SECRET_VARIABLES =
      Set.of(
          Variables.APP_SECRET_KEY,
          Variables.APP_MANAGEMENT_TOKEN,
          Variables.APP_JWT_SECRET,
          Variables.DATABASE_PASSWORD,
          Variables.RABBITMQ_PASSWORD,
          Variables.SESSION_REDIS_PASSWORD,
          Variables.CACHE_REDIS_PASSWORD,
          Variables.COUCHDB_PASSWORD,
          Variables.SENTRY_DSN,
          Variables.OTEL_EXPORTER_OTLP_HEADERS);

  /** {@code DATABASE_ENGINE}'s values. */
  public static final List<String> DATABASE_ENGINES = List.of("postgresql", "mysql", "mariadb");

  /** libpq's {@code sslmode} values, weakest first ({@code DATABASE_SSLMODE}). */
  public static final List<String> DATABASE_SSL_MODES =
      List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  /** The modes MySQL's and MariaDB's TLS can honour: neither tries TLS and falls back to plain. */
  public static final List<String> MYSQL_SSL_MODES =
      List.of("disable", "require", "verify-ca", "verify-full");

  /** The port AMQP over TLS listens on: it implies {@code RABBITMQ_TLS} unless that says no. */
  static final int AMQPS_PORT = 5671;

  /**
   * Management endpoints an operator may switch on with {@code APP_MANAGEMENT_ENDPOINTS}; each
   * reveals or changes the running service, so each needs {@code APP_MANAGEMENT_TOKEN}. Health,
   * prometheus and info are always on and anonymous; {@code beans} is broken on Micronaut 4.10
   * (micronaut-core#12386).
   */
  public static final Set<String> GUARDED_ENDPOINTS =
      Set.of("env", "loggers", "threaddump", "flyway", "routes", "caches", "refresh", "stop");

  static final int DEFAULT_PORT = 8000;
  static final int DEFAULT_MANAGEMENT_PORT = 8081;
  static final int DEFAULT_SHUTDOWN_DELAY_SECONDS = 5;
  static final int DEFAULT_SHUTDOWN_GRACE_SECONDS = 20;
  static final int MIN_SECRET_KEY_LENGTH = 16;

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:\\-\\[\\]]{1,253}");
  private static final Pattern COUCHDB_DATABASE = Pattern.compile("[a-z][a-z0-9_$()+\\-]{0,237}");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]");
  private static final Pattern APP_NAME = Pattern.compile("[A-Za-z0-9._\\-]{1,64}");
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9!_.*'()\\-/]{0,512}");
  private static final Pattern OTLP_HEADERS = Pattern.compile("[^=,]+=[^,]*(,[^=,]+=[^,]*)*");

  /** The OTLP protocol traces are sent with: OTLP/HTTP, over the JDK's HTTP client. */
  public static final String OTLP_PROTOCOL = "http/protobuf";

  private final ResolvedEnvironment env;

  private EnvironmentContract(ResolvedEnvironment env) {
    this.env = env;
  }

  /**
   * Parses the contract for a process started as {@code moduleMode}.
   *
   * @throws ConfigurationError for the first variable that does not hold
   */
  public static PlinthSettings parse(ResolvedEnvironment env, RunMode moduleMode) {
    return new EnvironmentContract(env).parse(moduleMode);
  }

  private PlinthSettings parse(RunMode moduleMode) {
    RunMode mode = runMode(moduleMode);
    boolean debug = bool(Variables.APP_DEBUG, false);
    Secret secretKey = secretKey(debug);
    int port = integer(Variables.PORT, 0, 65535, DEFAULT_PORT);
    return new PlinthSettings(
        mode,
        integer(Variables.APP_WORKER_COUNT, 1, 1024, Runtime.getRuntime().availableProcessors()),
        debug,
        secretKey,
        matching(Variables.APP_NAME, APP_NAME, "1-64 letters, digits, '.', '_' or '-'", "plinth"),
        port,
        management(port),
        Path.of(value(Variables.APP_DATA_DIR).orElse("data")),
        database(),
        rabbitMq(mode),
        redis("SESSION_REDIS"),
        redis("CACHE_REDIS"),
        value(Variables.SENTRY_DSN).map(this::sentryDsn),
        value(Variables.AWS_REGION),
        appdata(),
        couchDb(),
        new PlinthSettings.SessionOptions(
            Duration.ofSeconds(
                integer(Variables.SESSION_MAX_INACTIVE_SECONDS, 60, 31_536_000, 1800)),
            bool(Variables.SESSION_REDIS_KEYSPACE_EVENTS, true)),
        Duration.ofSeconds(integer(Variables.CACHE_TTL_SECONDS, 1, 31_536_000, 600)),
        shutdown(mode, debug),
        bool(Variables.APP_OPENAPI_UI, debug),
        trust(),
        traces(),
        jwt(),
        bool(Variables.APP_LOGIN, false),
        bool(Variables.APP_ANONYMOUS_READS, false));
  }

  /**
   * {@code APP_JWT_*}: WEB authenticates bearer JWTs, signed with a shared secret (HS256) or by a
   * key of a JWKS, and checks their issuer and audience when those are set.
   */
  private Optional<PlinthSettings.Jwt> jwt() {
    Optional<Secret> secret = value(Variables.APP_JWT_SECRET).map(Secret::of);
    Optional<String> jwks = value(Variables.APP_JWT_JWKS_URL);
    Optional<String> issuer = value(Variables.APP_JWT_ISSUER);
    Optional<String> audience = value(Variables.APP_JWT_AUDIENCE);
    if (secret.isEmpty() && jwks.isEmpty()) {
      if (issuer.isPresent() || audience.isPresent()) {
        throw new ConfigurationError(
            issuer.isPresent() ? Variables.APP_JWT_ISSUER : Variables.APP_JWT_AUDIENCE,
            "APP_JWT_SECRET or APP_JWT_JWKS_URL beside it: nothing checks tokens without a key");
      }
      return Optional.empty();
    }
    if (secret.isPresent() && jwks.isPresent()) {
      throw new ConfigurationError(
          Variables.APP_JWT_JWKS_URL, "either APP_JWT_SECRET or APP_JWT_JWKS_URL, not both");
    }
    if (secret.isPresent() && secret.get().reveal().length() < 32) {
      throw new ConfigurationError(
          Variables.APP_JWT_SECRET, "at least 32 characters (HS256 signs with 256 bits)");
    }
    Optional<java.net.URI> url =
        jwks.map(
            text -> {
              try {
                java.net.URI uri = new java.net.URI(text);
                if (uri.getHost() == null
                    || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                  throw new java.net.URISyntaxException(text, "not an http(s) URL");
                }
                return uri;
              } catch (java.net.URISyntaxException e) {
                throw new ConfigurationError(
                    Variables.APP_JWT_JWKS_URL, "an http(s) URL of a JSON Web Key Set");
              }
            });
    return Optional.of(new PlinthSettings.Jwt(secret, url, issuer, audience));
  }

  /**
   * {@code OTEL_*}: traces are exported when an OTLP endpoint is set (or the exporter named), and
   * OpenTelemetry stays out of the process otherwise. The SDK reads the rest of its variables
   * itself; these are the ones that decide whether it starts, checked here so that a value it could
   * not use stops start-up with one line rather than a stack trace.
   */
  private boolean traces() {
    boolean endpoint = false;
    for (String name :
        List.of(
            Variables.OTEL_EXPORTER_OTLP_ENDPOINT, Variables.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)) {
      Optional<String> url = value(name);
      url.ifPresent(u -> httpUrl(name, u));
      endpoint |= url.isPresent();
    }
    for (String name :
        List.of(
            Variables.OTEL_EXPORTER_OTLP_PROTOCOL, Variables.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL)) {
      if (value(name).filter(p -> !p.equals(OTLP_PROTOCOL)).isPresent()) {
        // grpc needs a gRPC or OkHttp sender; the build ships the JDK's HTTP client only.
        throw new ConfigurationError(name, OTLP_PROTOCOL + ", the OTLP protocol this build sends");
      }
    }
    value(Variables.OTEL_EXPORTER_OTLP_HEADERS)
        .filter(h -> !OTLP_HEADERS.matcher(h).matches())
        .ifPresent(
            h -> {
              throw new ConfigurationError(
                  Variables.OTEL_EXPORTER_OTLP_HEADERS, "comma-separated key=value pairs");
            });
    return oneOf(Variables.OTEL_TRACES_EXPORTER, List.of("otlp", "none"))
        .map("otlp"::equals)
        .orElse(endpoint);
  }

  private static void httpUrl(String name, String value) {
    try {
      java.net.URI uri = new java.net.URI(value);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below, without the value
    }
    throw new ConfigurationError(name, "an http:// or https:// URL");
  }

  // A load balancer needs a few seconds to see the 503 and stop routing; nothing routes to the
  // other modes, and a developer's Ctrl-C should not wait.
  private PlinthSettings.Shutdown shutdown(RunMode mode, boolean debug) {
    int delay = mode.loadBalanced() && !debug ? DEFAULT_SHUTDOWN_DELAY_SECONDS : 0;
    return new PlinthSettings.Shutdown(
        Duration.ofSeconds(integer(Variables.APP_SHUTDOWN_DELAY_SECONDS, 0, 300, delay)),
        Duration.ofSeconds(
            integer(
                Variables.APP_SHUTDOWN_GRACE_SECONDS, 1, 3600, DEFAULT_SHUTDOWN_GRACE_SECONDS)));
  }

  private RunMode runMode(RunMode moduleMode) {
    Optional<String> given = value(Variables.APP_RUN_MODE);
    if (given.isEmpty()) {
      return moduleMode;
    }
    String mode = given.get().trim().toUpperCase(Locale.ROOT);
    if (!mode.equals(moduleMode.name())) {
      // Each jar is one mode; the image's entrypoint picks the jar by this variable.
      throw new ConfigurationError(
          Variables.APP_RUN_MODE, moduleMode + ", the mode this program runs");
    }
    return moduleMode;
  }

  private Secret secretKey(boolean debug) {
    Optional<String> key = value(Variables.APP_SECRET_KEY);
    if (key.isPresent()) {
      if (key.get().length() < MIN_SECRET_KEY_LENGTH) {
        throw new ConfigurationError(
            Variables.APP_SECRET_KEY, "at least " + MIN_SECRET_KEY_LENGTH + " characters");
      }
      return Secret.of(key.get());
    }
    if (!debug) {
      throw new ConfigurationError(
          Variables.APP_SECRET_KEY,
          "a secret key when APP_DEBUG is off (set APP_DEBUG=true for local use)");
    }
    // Debug only: a key per process is fine, sessions simply do not survive a restart.
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return Secret.of(Base64.getEncoder().encodeToString(random));
  }

  private PlinthSettings.Management management(int port) {
    int managementPort = integer(Variables.APP_MANAGEMENT_PORT, 0, 65535, DEFAULT_MANAGEMENT_PORT);
    // Port 0 (an ephemeral port each) is the one equal value that keeps the two listeners apart.
    if (managementPort == port && port != 0) {
      throw new ConfigurationError(
          Variables.APP_MANAGEMENT_PORT, "a port other than PORT: management stays apart");
    }
    Set<String> endpoints = new java.util.TreeSet<>();
    for (String id : value(Variables.APP_MANAGEMENT_ENDPOINTS).orElse("").split(",")) {
      String endpoint = id.trim().toLowerCase(Locale.ROOT);
      if (endpoint.isEmpty()) {
        continue;
      }
      if (!GUARDED_ENDPOINTS.contains(endpoint)) {
        throw new ConfigurationError(
            Variables.APP_MANAGEMENT_ENDPOINTS,
            "a comma-separated list of "
                + String.join(", ", new java.util.TreeSet<>(GUARDED_ENDPOINTS)));
      }
      endpoints.add(endpoint);
    }
    Optional<String> token = value(Variables.APP_MANAGEMENT_TOKEN);
    if (token.isPresent() && token.get().length() < MIN_SECRET_KEY_LENGTH) {
      throw new ConfigurationError(
          Variables.APP_MANAGEMENT_TOKEN, "at least " + MIN_SECRET_KEY_LENGTH + " characters");
    }
    if (!endpoints.isEmpty() && token.isEmpty()) {
      throw new ConfigurationError(
          Variables.APP_MANAGEMENT_TOKEN,
          "a bearer token (at least "
              + MIN_SECRET_KEY_LENGTH
              + " characters) when APP_MANAGEMENT_ENDPOINTS switches endpoints on");
    }
    return new PlinthSettings.Management(
        managementPort, Set.copyOf(endpoints), token.map(Secret::of));
  }

  private Optional<PlinthSettings.Database> database() {
    Optional<String> host = value(Variables.DATABASE_HOST);
    if (host.isEmpty()) {
      return Optional.empty();
    }
    String engine = oneOf(Variables.DATABASE_ENGINE, DATABASE_ENGINES).orElse("postgresql");
    boolean mysql = !engine.equals("postgresql");
    return Optional.of(
        new PlinthSettings.Database(
            engine,
            host(Variables.DATABASE_HOST, host.get()),
            integer(Variables.DATABASE_PORT, 1, 65535, mysql ? 3306 : 5432),
            matching(
                Variables.DATABASE_NAME,
                APP_NAME,
                "a database name",
                mysql ? "plinth" : "postgres"),
            value(Variables.DATABASE_USERNAME).orElse(mysql ? "root" : "postgres"),
            Secret.of(value(Variables.DATABASE_PASSWORD).orElse("")),
            oneOf(Variables.DATABASE_SSLMODE, mysql ? MYSQL_SSL_MODES : DATABASE_SSL_MODES)));
  }

  private Optional<PlinthSettings.RabbitMq> rabbitMq(RunMode mode) {
    // A mode that consumes or publishes has nothing to do without a broker, and silently
    // running tasks in-process there would hide a missing variable in production.
    if (value(Variables.RABBITMQ_HOST).isEmpty() && mode.needsBroker()) {
      throw new ConfigurationError(
          Variables.RABBITMQ_HOST, "a RabbitMQ host: the " + mode + " mode needs a task broker");
    }
    return value(Variables.RABBITMQ_HOST)
        .map(
            host -> {
              int port = integer(Variables.RABBITMQ_PORT, 1, 65535, 5672);
              return new PlinthSettings.RabbitMq(
                  host(Variables.RABBITMQ_HOST, host),
                  port,
                  value(Variables.RABBITMQ_VHOST).orElse("/"),
                  value(Variables.RABBITMQ_USERNAME).orElse("guest"),
                  Secret.of(value(Variables.RABBITMQ_PASSWORD).orElse("guest")),
                  bool(Variables.RABBITMQ_TLS, port == AMQPS_PORT));
            });
  }

  private Optional<PlinthSettings.Redis> redis(String set) {
    return value(set + "_HOST")
        .map(
            host -> {
              Optional<String> username = value(set + "_USERNAME");
              Optional<Secret> password = value(set + "_PASSWORD").map(Secret::of);
              if (username.isPresent() && password.isEmpty()) {
                throw new ConfigurationError(
                    set + "_PASSWORD", "the ACL user's password when " + set + "_USERNAME is set");
              }
              if (username.isPresent() && !APP_NAME.matcher(username.get()).matches()) {
                throw new ConfigurationError(
                    set + "_USERNAME", "1-64 letters, digits, '.', '_' or '-'");
              }
              return new PlinthSettings.Redis(
                  host(set + "_HOST", host),
                  integer(set + "_PORT", 1, 65535, 6379),
                  integer(set + "_DB", 0, 15, 0),
                  bool(set + "_TLS", false),
                  username,
                  password);
            });
  }

  private Optional<PlinthSettings.CouchDb> couchDb() {
    return value(Variables.COUCHDB_HOST)
        .map(
            host -> {
              Optional<String> username = value(Variables.COUCHDB_USERNAME);
              Optional<Secret> password = value(Variables.COUCHDB_PASSWORD).map(Secret::of);
              if (username.isPresent() != password.isPresent()) {
                throw new ConfigurationError(
                    username.isPresent() ? Variables.COUCHDB_PASSWORD : Variables.COUCHDB_USERNAME,
                    "a value: COUCHDB_USERNAME and COUCHDB_PASSWORD are set together");
              }
              return new PlinthSettings.CouchDb(
                  host(Variables.COUCHDB_HOST, host),
                  integer(Variables.COUCHDB_PORT, 1, 65535, 5984),
                  matching(
                      Variables.COUCHDB_DATABASE,
                      COUCHDB_DATABASE,
                      "a CouchDB database name (a lowercase letter, then lowercase letters, digits"
                          + " or _$()+-)",
                      "plinth"),
                  username,
                  password,
                  bool(Variables.COUCHDB_TLS, false));
            });
  }

  private TrustBundle trust() {
    Optional<String> bundle = value(Variables.APP_CA_BUNDLE);
    if (bundle.isEmpty()) {
      return TrustBundle.system();
    }
    try {
      return TrustBundle.withExtra(bundle.get());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationError(Variables.APP_CA_BUNDLE, e.getMessage());
    }
  }

  private Optional<PlinthSettings.Appdata> appdata() {
    return value(Variables.APPDATA_BUCKET)
        .map(
            bucket -> {
              if (!BUCKET.matcher(bucket).matches()) {
                throw new ConfigurationError(
                    Variables.APPDATA_BUCKET,
                    "an S3 bucket name (3-63 lowercase letters, digits, '.' or '-')");
              }
              String prefix =
                  matching(
                      Variables.APPDATA_PREFIX,
                      PREFIX,
                      "an S3 key prefix of safe characters ('/' separated)",
                      "");
              if (prefix.startsWith("/") || prefix.contains("..") || prefix.contains("//")) {
                throw new ConfigurationError(
                    Variables.APPDATA_PREFIX,
                    "a relative key prefix without '..', '//' or a leading '/'");
              }
              String normalised = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
              return new PlinthSettings.Appdata(bucket, normalised);
            });
  }

  private Secret sentryDsn(String dsn) {
    try {
      java.net.URI uri = new java.net.URI(dsn);
      boolean http = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
      if (http && uri.getUserInfo() != null && uri.getHost() != null) {
        return Secret.of(dsn);
      }
    } catch (java.net.URISyntaxException e) {
      // reported below, without the value
    }
    throw new ConfigurationError(Variables.SENTRY_DSN, "a Sentry DSN (https://KEY@HOST/PROJECT)");
  }

  private Optional<String> value(String name) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(raw.trim());
  }

  private int integer(String name, int min, int max, int fallback) {
    Optional<String> raw = value(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(raw.get());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigurationError(name, "an integer from " + min + " to " + max);
  }

  private Optional<String> oneOf(String name, List<String> allowed) {
    Optional<String> raw = value(name).map(v -> v.toLowerCase(Locale.ROOT));
    if (raw.isPresent() && !allowed.contains(raw.get())) {
      throw new ConfigurationError(name, "one of " + String.join(", ", allowed));
    }
    return raw;
  }

  private boolean bool(String name, boolean fallback) {
    Optional<String> raw = value(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    return switch (raw.get().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new ConfigurationError(name, "true or false");
    };
  }

  private String host(String name, String host) {
    if (!HOST.matcher(host).matches()) {
      throw new ConfigurationError(name, "a host name or IP address");
    }
    return host;
  }

  private String matching(String name, Pattern pattern, String expected, String fallback) {
    String raw = value(name).orElse(fallback);
    if (!pattern.matcher(raw).matches()) {
      throw new ConfigurationError(name, expected);
    }
    return raw;
  }
}
