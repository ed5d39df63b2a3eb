package dev.plinth.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatabaseDescriptionTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "jdbc:postgresql://db.internal:5432/app | the PostgreSQL database at db.internal:5432/app",
        "jdbc:postgresql://u:secret@db:6432/app?password=secret&ssl=true"
            + " | the PostgreSQL database at db:6432/app",
        "jdbc:postgresql://db/app | the PostgreSQL database at db/app",
        "jdbc:mariadb://db:3306/app?useAffectedRows=true&serverSslCert=/tmp/ca.pem"
            + " | the MariaDB database at db:3306/app",
        "jdbc:mysql://db.rds:3306/app?permitMysqlScheme | the MySQL database at db.rds:3306/app",
        "jdbc:h2:file:/data/plinth;MODE=PostgreSQL;PASSWORD=x | the embedded H2 database file:/data/plinth",
        "jdbc:h2:mem:test | the embedded H2 database mem:test",
        "jdbc:oracle:thin:scott/tiger@host:1521:orcl | the oracle database",
        "not a url | the database",
      })
  void namesEngineHostAndDatabaseButNothingElse(String url, String description) {
    assertThat(DatabaseDescription.of(url))
        .isEqualTo(description)
        .doesNotContain("secret", "tiger");
  }
}
