package dev.plinth.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.dockerflow.CheckMessage;
import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.TestModes;
import dev.plinth.platform.testing.tls.ScratchPostgres;
import dev.plinth.platform.testing.tls.TestCertificates;
import io.micronaut.jdbc.DataSourceResolver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL over TLS as RDS serves it with {@code rds.force_ssl}: a cluster of the test's own that
 * takes TLS connections only, its certificate from a test authority that {@code APP_CA_BUNDLE}
 * names, as RDS's global bundle would be named.
 */
class DatabaseTlsTest {
  @TempDir static Path dir;
  static TestCertificates authority;
  static ScratchPostgres postgres;

  @BeforeAll
  static void startPostgres() {
    authority = TestCertificates.authority(dir, "Plinth test CA");
    postgres = ScratchPostgres.startTls(authority.issue("postgres", "DNS:localhost"));
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  private static Map<String, String> database(String sslMode, String bundle) {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_HOST", "localhost");
    env.put("DATABASE_PORT", String.valueOf(postgres.port()));
    env.put("DATABASE_SSLMODE", sslMode);
    env.put("APP_CA_BUNDLE", bundle);
    return env;
  }

  @Test
  void verifyFullWithTheBundleMigratesAndServesOverTls(@TempDir Path dataDir) throws Exception {
    try (InProcessMode web =
        InProcessMode.startPlatform(
            TestModes.WEB,
            dataDir,
            database("verify-full", authority.certificate().toString()),
            Map.of())) {
      assertThat(web.get("/__heartbeat__").statusCode()).isEqualTo(200);
      DataSource dataSource =
          web.context()
              .getBean(DataSourceResolver.class)
              .resolve(web.context().getBean(DataSource.class));
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement();
          ResultSet ssl =
              statement.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
        assertThat(ssl.next()).isTrue();
        assertThat(ssl.getBoolean(1)).isTrue();
      }
      assertThat(web.context().getBean(MigrationsCheck.class).run()).isEmpty();
    }
  }

  @Test
  void aBundleOfAnotherAuthorityIsRefusedAndTheCheckSaysItIsTls(@TempDir Path dataDir) {
    TestCertificates other = TestCertificates.authority(dir, "Another CA");
    Map<String, String> env = database("verify-full", other.certificatePem());
    // Nothing to migrate against: the check is what reports.
    env.put("FLYWAY_DATASOURCES_DEFAULT_ENABLED", "false");
    try (InProcessMode web = InProcessMode.startPlatform(TestModes.WEB, dataDir, env, Map.of())) {
      List<CheckMessage> messages = web.context().getBean(DatabaseCheck.class).run();
      assertThat(messages)
          .singleElement()
          .satisfies(
              m ->
                  assertThat(m.text())
                      .contains("localhost:" + postgres.port())
                      .contains("TLS failed: PKIX path building failed"));
    }
  }

  @Test
  void withoutTlsTheServerRefusesTheConnection(@TempDir Path dataDir) {
    Map<String, String> env = database("disable", "");
    env.put("FLYWAY_DATASOURCES_DEFAULT_ENABLED", "false");
    try (InProcessMode web = InProcessMode.startPlatform(TestModes.WEB, dataDir, env, Map.of())) {
      assertThat(web.context().getBean(DatabaseCheck.class).run())
          .singleElement()
          .satisfies(m -> assertThat(m.id()).isEqualTo(DatabaseCheck.UNREACHABLE));
    }
  }
}
