package dev.plinth.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plinth.platform.testing.TestModes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvironmentContractTest {
  private static final String KEY = "0123456789abcdef0123";

  private static PlinthSettings parse(RunMode mode, String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return EnvironmentContract.parse(ResolvedEnvironment.plain(env), mode);
  }

  @Test
  void debugWithNothingElseRunsOnEmbeddedDefaults() {
    PlinthSettings settings = parse(TestModes.WEB, "APP_DEBUG", "true");

    assertThat(settings.mode()).isEqualTo(TestModes.WEB);
    assertThat(settings.port()).isEqualTo(8000);
    assertThat(settings.management().port()).isEqualTo(8081);
    assertThat(settings.management().endpoints()).isEmpty();
    assertThat(settings.management().token()).isEmpty();
    assertThat(settings.workerCount()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(settings.database()).isEmpty();
    assertThat(settings.rabbitMq()).isEmpty();
    assertThat(settings.sessionRedis()).isEmpty();
    assertThat(settings.cacheRedis()).isEmpty();
    assertThat(settings.sentryDsn()).isEmpty();
    assertThat(settings.appdata()).isEmpty();
    // A per-process key is generated in debug, never an empty or fixed one.
    assertThat(settings.secretKey().reveal()).hasSizeGreaterThanOrEqualTo(32);
    assertThat(parse(TestModes.WEB, "APP_DEBUG", "true").secretKey())
        .isNotEqualTo(settings.secretKey());
  }

  @Test
  void firstVariableOfASetSwitchesItOnWithDefaultsForTheRest() {
    PlinthSettings settings =
        parse(
            TestModes.WORKER,
            "APP_SECRET_KEY",
            KEY,
            "DATABASE_HOST",
            "db.internal",
            "DATABASE_NAME",
            "app",
            "DATABASE_PASSWORD",
            "pw",
            "RABBITMQ_HOST",
            "mq",
            "SESSION_REDIS_HOST",
            "redis",
            "SESSION_REDIS_DB",
            "3",
            "CACHE_REDIS_HOST",
            "cache",
            "APPDATA_BUCKET",
            "my-bucket",
            "APPDATA_PREFIX",
            "svc/data",
            "APP_WORKER_COUNT",
            "3");

    assertThat(settings.debug()).isFalse();
    assertThat(settings.workerCount()).isEqualTo(3);
    assertThat(settings.database().orElseThrow())
        .extracting("engine", "host", "port", "name", "sslMode")
        .containsExactly("postgresql", "db.internal", 5432, "app", java.util.Optional.empty());
    assertThat(settings.database().orElseThrow().password().reveal()).isEqualTo("pw");
    assertThat(settings.rabbitMq().orElseThrow())
        .extracting("host", "port", "vhost", "username")
        .containsExactly("mq", 5672, "/", "guest");
    assertThat(settings.sessionRedis().orElseThrow().uri()).isEqualTo("redis://redis:6379/3");
    assertThat(settings.cacheRedis().orElseThrow().uri()).isEqualTo("redis://cache:6379/0");
    assertThat(settings.appdata().orElseThrow().prefix()).isEqualTo("svc/data/");
  }

  @ParameterizedTest
  @CsvSource(
      quoteCharacter = '"',
      value = {
        "PORT, abc, an integer from 0 to 65535",
        "PORT, 70000, an integer from 0 to 65535",
        "APP_WORKER_COUNT, -7, an integer from 1 to 1024",
        "APP_DEBUG, maybe, true or false",
        "APP_RUN_MODE, SERVER, \"WEB, the mode this program runs\"",
        "DATABASE_PORT, 5432x, an integer from 1 to 65535",
        "SESSION_REDIS_DB, 16, an integer from 0 to 15",
        "SENTRY_DSN, not-a-dsn, a Sentry DSN (https://KEY@HOST/PROJECT)",
        "APP_MANAGEMENT_PORT, 8000, \"a port other than PORT: management stays apart\"",
        "APP_MANAGEMENT_ENDPOINTS, health stop, \"a comma-separated list of caches, env, flyway, loggers, refresh, routes, stop, threaddump\"",
        "APP_MANAGEMENT_TOKEN, short, at least 16 characters",
        "APPDATA_PREFIX, ../escape, \"a relative key prefix without '..', '//' or a leading '/'\"",
        "DATABASE_SSLMODE, strict, \"one of disable, allow, prefer, require, verify-ca, verify-full\"",
        "RABBITMQ_TLS, sometimes, true or false",
        "SESSION_REDIS_TLS, maybe, true or false",
        "SESSION_REDIS_USERNAME, a:b, \"1-64 letters, digits, '.', '_' or '-'\"",
        "APP_CA_BUNDLE, /no/such/bundle.pem, \"PEM certificates, or the path of a readable PEM file (NoSuchFileException)\"",
        "APP_CA_BUNDLE, -----BEGIN CERTIFICATE-----, \"PEM certificates that parse\"",
      })
  void aBadValueNamesTheVariableAndWhatWasExpected(String variable, String value, String expected) {
    Map<String, String> env = new HashMap<>();
    env.put("APP_DEBUG", "true");
    env.put("DATABASE_HOST", "localhost");
    env.put("SESSION_REDIS_HOST", "localhost");
    env.put("APPDATA_BUCKET", "bucket");
    env.put("RABBITMQ_HOST", "localhost");
    env.put("SESSION_REDIS_PASSWORD", "pw");
    env.put(variable, value);

    assertThatThrownBy(
            () -> EnvironmentContract.parse(ResolvedEnvironment.plain(env), TestModes.WEB))
        .isInstanceOfSatisfying(
            ConfigurationError.class,
            e -> {
              assertThat(e.variable()).isEqualTo(variable);
              assertThat(e.getMessage()).isEqualTo(variable + ": expected " + expected);
              assertThat(e.toStartupLine()).doesNotContain("\n").doesNotContain(value);
            });
  }

  @Test
  void theShutdownDelayIsOnlyForWebInProductionAndBothAreBounded() {
    PlinthSettings web = parse(TestModes.WEB, "APP_SECRET_KEY", KEY);
    assertThat(web.shutdown().delay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(web.shutdown().grace()).isEqualTo(Duration.ofSeconds(20));
    assertThat(parse(TestModes.WEB, "APP_DEBUG", "true").shutdown().delay()).isZero();
    assertThat(parse(TestModes.TASK, "APP_SECRET_KEY", KEY).shutdown().delay()).isZero();
    PlinthSettings set =
        parse(
            TestModes.TASK,
            "APP_DEBUG",
            "true",
            "APP_SHUTDOWN_DELAY_SECONDS",
            "7",
            "APP_SHUTDOWN_GRACE_SECONDS",
            "40");
    assertThat(set.shutdown())
        .isEqualTo(new PlinthSettings.Shutdown(Duration.ofSeconds(7), Duration.ofSeconds(40)));
    assertThatThrownBy(
            () -> parse(TestModes.WEB, "APP_DEBUG", "true", "APP_SHUTDOWN_GRACE_SECONDS", "0"))
        .hasMessage("APP_SHUTDOWN_GRACE_SECONDS: expected an integer from 1 to 3600");
    assertThatThrownBy(
            () -> parse(TestModes.WEB, "APP_DEBUG", "true", "APP_SHUTDOWN_DELAY_SECONDS", "-1"))
        .hasMessage("APP_SHUTDOWN_DELAY_SECONDS: expected an integer from 0 to 300");
  }

  @Test
  void tlsAndCredentialsForTheBackingServices() {
    PlinthSettings plain = parse(TestModes.WEB, "APP_DEBUG", "true", "RABBITMQ_HOST", "mq");
    assertThat(plain.rabbitMq().orElseThrow().tls()).isFalse();
    assertThat(plain.trust().extraCertificates()).isEmpty();
    // Amazon MQ's port implies TLS, unless the operator says otherwise.
    assertThat(
            parse(
                    TestModes.WEB,
                    "APP_DEBUG",
                    "true",
                    "RABBITMQ_HOST",
                    "mq",
                    "RABBITMQ_PORT",
                    "5671")
                .rabbitMq()
                .orElseThrow()
                .tls())
        .isTrue();
    assertThat(
            parse(
                    TestModes.WEB,
                    "APP_DEBUG",
                    "true",
                    "RABBITMQ_HOST",
                    "mq",
                    "RABBITMQ_PORT",
                    "5671",
                    "RABBITMQ_TLS",
                    "false")
                .rabbitMq()
                .orElseThrow()
                .tls())
        .isFalse();
    PlinthSettings redis =
        parse(
            TestModes.WEB,
            "APP_DEBUG",
            "true",
            "SESSION_REDIS_HOST",
            "sessions.cache.amazonaws.com",
            "SESSION_REDIS_TLS",
            "true",
            "SESSION_REDIS_PASSWORD",
            "p@ss:w/rd %",
            "CACHE_REDIS_HOST",
            "cache",
            "CACHE_REDIS_USERNAME",
            "app",
            "CACHE_REDIS_PASSWORD",
            "pw");
    // The password reaches Lettuce escaped: java.net.URI hands it back decoded.
    String sessions = redis.sessionRedis().orElseThrow().uri();
    assertThat(sessions)
        .isEqualTo("rediss://:p%40ss%3Aw%2Frd%20%25@sessions.cache.amazonaws.com:6379/0");
    assertThat(java.net.URI.create(sessions).getUserInfo()).isEqualTo(":p@ss:w/rd %");
    assertThat(redis.cacheRedis().orElseThrow().uri()).isEqualTo("redis://app:pw@cache:6379/0");
    assertThat(EnvironmentContract.SECRET_VARIABLES)
        .contains("SESSION_REDIS_PASSWORD", "CACHE_REDIS_PASSWORD");
    // An ACL user without its password cannot authenticate: the missing variable is named.
    assertThatThrownBy(
            () ->
                parse(
                    TestModes.WEB,
                    "APP_DEBUG",
                    "true",
                    "CACHE_REDIS_HOST",
                    "cache",
                    "CACHE_REDIS_USERNAME",
                    "app"))
        .hasMessage(
            "CACHE_REDIS_PASSWORD: expected the ACL user's password when CACHE_REDIS_USERNAME is set");
  }

  @Test
  void productionRequiresASecretKey() {
    assertThatThrownBy(() -> parse(TestModes.WEB))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageStartingWith("APP_SECRET_KEY: expected a secret key when APP_DEBUG is off");
    assertThatThrownBy(() -> parse(TestModes.WEB, "APP_SECRET_KEY", "short"))
        .hasMessage("APP_SECRET_KEY: expected at least 16 characters");
    assertThat(parse(TestModes.WEB, "APP_SECRET_KEY", KEY).secretKey().reveal()).isEqualTo(KEY);
  }

  @Test
  void aSecretValueNeverAppearsInTheError() {
    String dsn = "https://supersecretkey@sentry.example.com";
    assertThatThrownBy(() -> parse(TestModes.WEB, "APP_DEBUG", "true", "SENTRY_DSN", dsn + " x"))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("supersecretkey"));
    assertThat(Secret.of(dsn)).hasToString(Secret.REDACTED);
  }

  @Test
  void workerAndBeatRefuseToStartWithoutABroker() {
    assertThatThrownBy(() -> parse(TestModes.WORKER, "APP_DEBUG", "true"))
        .hasMessage("RABBITMQ_HOST: expected a RabbitMQ host: the WORKER mode needs a task broker");
    assertThatThrownBy(() -> parse(TestModes.BEAT, "APP_DEBUG", "true"))
        .hasMessage("RABBITMQ_HOST: expected a RabbitMQ host: the BEAT mode needs a task broker");
    assertThat(parse(TestModes.WEB, "APP_DEBUG", "true").rabbitMq()).isEmpty();
  }

  @Test
  void runModeMustMatchTheProgramStarted() {
    assertThat(
            parse(
                    TestModes.BEAT,
                    "APP_DEBUG",
                    "true",
                    "APP_RUN_MODE",
                    "beat",
                    "RABBITMQ_HOST",
                    "mq")
                .mode())
        .isEqualTo(TestModes.BEAT);
    assertThatThrownBy(() -> parse(TestModes.WEB, "APP_DEBUG", "true", "APP_RUN_MODE", "WORKER"))
        .hasMessage("APP_RUN_MODE: expected WEB, the mode this program runs");
  }

  @Test
  void theEnginesAndTheirDefaults() {
    assertThat(parse(TestModes.WEB, "APP_DEBUG", "true", "DATABASE_HOST", "h").database())
        .get()
        .extracting("engine", "port", "name", "username")
        .containsExactly("postgresql", 5432, "postgres", "postgres");
    for (String engine : java.util.List.of("mysql", "mariadb")) {
      assertThat(
              parse(
                      TestModes.WEB,
                      "APP_DEBUG",
                      "true",
                      "DATABASE_HOST",
                      "h",
                      "DATABASE_ENGINE",
                      engine.toUpperCase(java.util.Locale.ROOT))
                  .database())
          .get()
          .extracting("engine", "port", "name", "username")
          .containsExactly(engine, 3306, "plinth", "root");
    }
    assertThatThrownBy(
            () ->
                parse(
                    TestModes.WEB,
                    "APP_DEBUG",
                    "true",
                    "DATABASE_HOST",
                    "h",
                    "DATABASE_ENGINE",
                    "sqlite"))
        .hasMessage("DATABASE_ENGINE: expected one of postgresql, mysql, mariadb");
    // MySQL's TLS has no mode that tries TLS and falls back to plain.
    assertThatThrownBy(
            () ->
                parse(
                    TestModes.WEB,
                    "APP_DEBUG",
                    "true",
                    "DATABASE_HOST",
                    "h",
                    "DATABASE_ENGINE",
                    "mariadb",
                    "DATABASE_SSLMODE",
                    "prefer"))
        .hasMessage("DATABASE_SSLMODE: expected one of disable, require, verify-ca, verify-full");
  }

  @Test
  void blankValuesCountAsUnset() {
    PlinthSettings settings = parse(TestModes.WEB, "APP_DEBUG", "true", "DATABASE_HOST", " ");
    assertThat(settings.database()).isEmpty();
  }

  @Test
  void guardedManagementEndpointsNeedAToken() {
    assertThatThrownBy(
            () -> parse(TestModes.WEB, "APP_DEBUG", "true", "APP_MANAGEMENT_ENDPOINTS", "stop"))
        .hasMessage(
            "APP_MANAGEMENT_TOKEN: expected a bearer token (at least 16 characters) when"
                + " APP_MANAGEMENT_ENDPOINTS switches endpoints on");
    PlinthSettings.Management management =
        parse(
                TestModes.WEB,
                "APP_DEBUG",
                "true",
                "APP_MANAGEMENT_ENDPOINTS",
                " Loggers, stop ,",
                "APP_MANAGEMENT_TOKEN",
                KEY)
            .management();
    assertThat(management.endpoints()).containsExactlyInAnyOrder("loggers", "stop");
    assertThat(management.token()).map(Secret::reveal).hasValue(KEY);
    // Two ephemeral ports are two listeners: only a fixed equal pair is refused.
    assertThat(parse(TestModes.WEB, "APP_DEBUG", "true", "PORT", "0", "APP_MANAGEMENT_PORT", "0"))
        .isNotNull();
  }

  @Test
  void tracesAreOnlyWhereAnOtlpEndpointOrTheExporterIsNamed() {
    assertThat(parse(TestModes.WEB, "APP_DEBUG", "true").traces()).isFalse();
    assertThat(
            parse(
                    TestModes.TASK,
                    "APP_DEBUG",
                    "true",
                    "OTEL_EXPORTER_OTLP_ENDPOINT",
                    "http://collector:4318")
                .traces())
        .isTrue();
    assertThat(
            parse(
                    TestModes.TASK,
                    "APP_DEBUG",
                    "true",
                    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                    "https://collector/v1/traces")
                .traces())
        .isTrue();
    assertThat(parse(TestModes.TASK, "APP_DEBUG", "true", "OTEL_TRACES_EXPORTER", "otlp").traces())
        .isTrue();
    assertThat(
            parse(
                    TestModes.WEB,
                    "APP_DEBUG",
                    "true",
                    "OTEL_EXPORTER_OTLP_ENDPOINT",
                    "http://collector:4318",
                    "OTEL_TRACES_EXPORTER",
                    "none")
                .traces())
        .isFalse();
  }

  @Test
  void anOtlpSettingTheExporterCannotUseStopsStartUpWithoutItsValue() {
    assertThatThrownBy(
            () ->
                parse(
                    TestModes.WEB, "APP_DEBUG", "true", "OTEL_EXPORTER_OTLP_ENDPOINT", "collector"))
        .hasMessage("OTEL_EXPORTER_OTLP_ENDPOINT: expected an http:// or https:// URL");
    assertThatThrownBy(
            () -> parse(TestModes.WEB, "APP_DEBUG", "true", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"))
        .hasMessage(
            "OTEL_EXPORTER_OTLP_PROTOCOL: expected http/protobuf, the OTLP protocol this build sends");
    assertThatThrownBy(
            () -> parse(TestModes.WEB, "APP_DEBUG", "true", "OTEL_TRACES_EXPORTER", "zipkin"))
        .hasMessage("OTEL_TRACES_EXPORTER: expected one of otlp, none");
    assertThatThrownBy(
            () ->
                parse(
                    TestModes.WEB,
                    "APP_DEBUG",
                    "true",
                    "OTEL_EXPORTER_OTLP_HEADERS",
                    "Authorization Bearer s3cr3t-token"))
        .hasMessage("OTEL_EXPORTER_OTLP_HEADERS: expected comma-separated key=value pairs")
        .message()
        .doesNotContain("s3cr3t");
    assertThat(EnvironmentContract.SECRET_VARIABLES).contains("OTEL_EXPORTER_OTLP_HEADERS");
  }

  @Test
  void couchDbIsOffUntilItsHostAndItsCredentialsComeTogether() {
    assertThat(parse(TestModes.WEB, "APP_DEBUG", "true").couchDb()).isEmpty();
    PlinthSettings.CouchDb couch =
        parse(
                TestModes.WEB,
                "APP_DEBUG",
                "true",
                "COUCHDB_HOST",
                "couch.internal",
                "COUCHDB_USERNAME",
                "app",
                "COUCHDB_PASSWORD",
                "pw",
                "COUCHDB_TLS",
                "true")
            .couchDb()
            .orElseThrow();
    assertThat(couch.url()).isEqualTo("https://couch.internal:5984");
    assertThat(couch.database()).isEqualTo("plinth");
    for (String[] bad :
        new String[][] {
          {"COUCHDB_USERNAME", "app", "COUCHDB_PASSWORD"},
          {"COUCHDB_PASSWORD", "pw", "COUCHDB_USERNAME"},
          {"COUCHDB_DATABASE", "Not-Lowercase", "COUCHDB_DATABASE"}
        }) {
      assertThatThrownBy(
              () -> parse(TestModes.WEB, "APP_DEBUG", "true", "COUCHDB_HOST", "h", bad[0], bad[1]))
          .isInstanceOfSatisfying(
              ConfigurationError.class,
              e -> {
                assertThat(e.variable()).isEqualTo(bad[2]);
                assertThat(e.getMessage()).doesNotContain(bad[1]);
              });
    }
  }

  @Test
  void jwtIsOffWithoutAKeyAndItsVariablesAreCheckedTogether() {
    assertThat(parse(TestModes.WEB, "APP_DEBUG", "true").jwt()).isEmpty();
    String secret = "an-hs256-secret-of-at-least-32-characters!";
    PlinthSettings.Jwt jwt =
        parse(TestModes.WEB, "APP_DEBUG", "true", "APP_JWT_SECRET", secret, "APP_JWT_ISSUER", "i")
            .jwt()
            .orElseThrow();
    assertThat(jwt.secret().orElseThrow().reveal()).isEqualTo(secret);
    assertThat(jwt.issuer()).contains("i");
    String[][] bad = {
      {"APP_JWT_SECRET", "short-secret", "APP_JWT_SECRET"},
      {"APP_JWT_JWKS_URL", "ftp://keys.test/jwks", "APP_JWT_JWKS_URL"},
      {"APP_JWT_AUDIENCE", "api", "APP_JWT_AUDIENCE"}
    };
    for (String[] b : bad) {
      assertThatThrownBy(() -> parse(TestModes.WEB, "APP_DEBUG", "true", b[0], b[1]))
          .isInstanceOfSatisfying(
              ConfigurationError.class,
              e -> {
                assertThat(e.variable()).isEqualTo(b[2]);
                assertThat(e.getMessage()).doesNotContain(b[1]);
              });
    }
    assertThatThrownBy(
            () ->
                parse(
                    TestModes.WEB,
                    "APP_DEBUG",
                    "true",
                    "APP_JWT_SECRET",
                    secret,
                    "APP_JWT_JWKS_URL",
                    "https://keys.test/jwks"))
        .isInstanceOfSatisfying(
            ConfigurationError.class, e -> assertThat(e.variable()).isEqualTo("APP_JWT_JWKS_URL"));
  }

  @Test
  void theLoginAndAnonymousReadsAreOffUnlessSwitchedOnAndEitherKindSwitchesAuthenticationOn() {
    PlinthSettings plain = parse(TestModes.WEB, "APP_DEBUG", "true");
    assertThat(plain.login()).isFalse();
    assertThat(plain.anonymousReads()).isFalse();
    assertThat(plain.authentication()).isFalse();
    PlinthSettings login =
        parse(TestModes.WEB, "APP_DEBUG", "true", "APP_LOGIN", "true", "APP_ANONYMOUS_READS", "1");
    assertThat(login.login()).isTrue();
    assertThat(login.anonymousReads()).isTrue();
    assertThat(login.authentication()).isTrue();
    assertThat(
            parse(
                    TestModes.WEB,
                    "APP_DEBUG",
                    "true",
                    "APP_JWT_SECRET",
                    "an-hs256-secret-of-at-least-32-characters!")
                .authentication())
        .isTrue();
    assertThatThrownBy(() -> parse(TestModes.WEB, "APP_DEBUG", "true", "APP_LOGIN", "maybe"))
        .isInstanceOfSatisfying(
            ConfigurationError.class, e -> assertThat(e.variable()).isEqualTo("APP_LOGIN"));
  }
}
