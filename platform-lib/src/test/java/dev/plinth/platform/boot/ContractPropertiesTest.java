package dev.plinth.platform.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.config.EnvironmentContract;
import dev.plinth.platform.config.PlinthSettings;
import dev.plinth.platform.config.ResolvedEnvironment;
import dev.plinth.platform.testing.TestModes;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JDBC URL each engine's variables become. The connections themselves are tested against the
 * real servers (DatabaseTlsTest, WebOnMariaDbTest); MySQL's and MariaDB's TLS only as far as this
 * URL, since no TLS MariaDB runs here.
 */
class ContractPropertiesTest {
  private static PlinthSettings settings(String... pairs) {
    Map<String, String> env = new HashMap<>(Map.of("APP_DEBUG", "true", "DATABASE_HOST", "db"));
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return EnvironmentContract.parse(ResolvedEnvironment.plain(env), TestModes.WEB);
  }

  private static Map<String, Object> datasource(PlinthSettings settings) {
    Map<String, Object> all = ContractProperties.of(settings);
    Map<String, Object> datasource = new HashMap<>();
    all.forEach(
        (key, value) -> {
          if (key.startsWith("datasources.default.") || key.startsWith("plinth.database.")) {
            datasource.put(key, value);
          }
        });
    return datasource;
  }

  @Test
  void postgresqlTakesSslmodeAndVerifiesAgainstTheTrustedAuthoritiesFile() {
    PlinthSettings settings = settings("DATABASE_SSLMODE", "verify-full");
    assertThat(datasource(settings))
        .containsEntry(
            "datasources.default.url",
            "jdbc:postgresql://db:5432/postgres?sslmode=verify-full&sslrootcert="
                + settings.trust().pemFile())
        .containsEntry("datasources.default.driver-class-name", "org.postgresql.Driver")
        .containsEntry("datasources.default.dialect", "POSTGRES")
        .containsEntry("plinth.database.family", "postgresql");
    assertThat(datasource(settings()))
        .containsEntry("datasources.default.url", "jdbc:postgresql://db:5432/postgres");
  }

  @Test
  void mariadbAndMysqlShareOneDriverAndTheMysqlFamily() {
    assertThat(datasource(settings("DATABASE_ENGINE", "mariadb", "DATABASE_SSLMODE", "require")))
        .containsEntry(
            "datasources.default.url",
            "jdbc:mariadb://db:3306/plinth?useAffectedRows=true&connectionTimeZone=UTC"
                + "&forceConnectionTimeZoneToSession=true&sslMode=trust")
        .containsEntry("datasources.default.driver-class-name", "org.mariadb.jdbc.Driver")
        .containsEntry("datasources.default.dialect", "MYSQL")
        .containsEntry("plinth.database.family", "mysql");
    PlinthSettings mysql = settings("DATABASE_ENGINE", "mysql", "DATABASE_SSLMODE", "verify-full");
    assertThat(datasource(mysql))
        .containsEntry(
            "datasources.default.url",
            "jdbc:mysql://db:3306/plinth?useAffectedRows=true&connectionTimeZone=UTC"
                + "&forceConnectionTimeZoneToSession=true&permitMysqlScheme&sslMode=verify-full"
                + "&serverSslCert="
                + mysql.trust().pemFile());
  }

  @Test
  void theEmbeddedDefaultIsH2InThePostgresqlFamily() {
    Map<String, Object> h2 =
        datasource(
            EnvironmentContract.parse(
                ResolvedEnvironment.plain(Map.of("APP_DEBUG", "true")), TestModes.WEB));
    assertThat(h2)
        .containsEntry("datasources.default.dialect", "H2")
        .containsEntry("plinth.database.family", "postgresql");
  }
}
