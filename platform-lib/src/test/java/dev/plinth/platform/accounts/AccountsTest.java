package dev.plinth.platform.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plinth.platform.testing.MariaDbTestDatabase;
import dev.plinth.platform.testing.PostgresTestDatabase;
import dev.plinth.platform.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The login accounts (migration V7) on the local PostgreSQL and MariaDB: only the right password
 * verifies, an unknown username verifies nothing, the hash is BCrypt's and never the password, a
 * taken username or a bad value is refused naming the rule, a password change takes effect, and a
 * removed account is gone.
 */
class AccountsTest {
  private static final String PASSWORD = "correct horse battery";

  private static TestDatabase database(String engine) {
    return engine.equals("postgresql")
        ? PostgresTestDatabase.create()
        : MariaDbTestDatabase.create();
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mariadb"})
  void onlyTheRightPasswordVerifiesAndChangesTakeEffect(String engine) throws Exception {
    try (TestDatabase db = database(engine)) {
      Accounts accounts = new Accounts(db.withPlatformSchema());
      Account alice =
          accounts.create("alice", "Alice Liddell", PASSWORD, List.of("exports", "a:b"));
      assertThat(alice).isEqualTo(new Account("alice", "Alice Liddell", List.of("exports", "a:b")));

      assertThat(accounts.verify("alice", PASSWORD)).contains(alice);
      assertThat(accounts.verify("alice", "correct horse battery!")).isEmpty();
      assertThat(accounts.verify("bob", PASSWORD)).isEmpty();
      assertThat(accounts.verify("not a username", PASSWORD)).isEmpty();
      try (Connection c = db.connect();
          ResultSet r =
              c.createStatement()
                  .executeQuery(
                      "SELECT password_hash FROM login_account WHERE username = 'alice'")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).startsWith("$2a$12$").doesNotContain(PASSWORD);
      }

      assertThatThrownBy(() -> accounts.create("alice", null, PASSWORD, List.of()))
          .hasMessage("account alice exists already");
      assertThatThrownBy(() -> accounts.create("al ice", null, PASSWORD, List.of()))
          .hasMessageContaining("the username: 1-150 letters");
      assertThatThrownBy(() -> accounts.create("bob", null, "short", List.of()))
          .hasMessage("the password: at least 10 characters");
      assertThatThrownBy(() -> accounts.create("bob", null, "é".repeat(37), List.of()))
          .hasMessageContaining("at most 72 bytes");
      assertThatThrownBy(() -> accounts.create("bob", null, PASSWORD, List.of("two words")))
          .hasMessageContaining("role two words");
      // No display name: the username stands for it.
      assertThat(accounts.create("bob", " ", PASSWORD, List.of()).displayName()).isEqualTo("bob");

      assertThat(accounts.setPassword("alice", "a new passphrase")).isTrue();
      assertThat(accounts.verify("alice", PASSWORD)).isEmpty();
      assertThat(accounts.verify("alice", "a new passphrase")).isPresent();
      assertThat(accounts.setPassword("carol", "a new passphrase")).isFalse();

      assertThat(accounts.list()).extracting(Account::username).containsExactly("alice", "bob");
      assertThat(accounts.remove("alice")).isTrue();
      assertThat(accounts.remove("alice")).isFalse();
      assertThat(accounts.verify("alice", "a new passphrase")).isEmpty();
      assertThat(accounts.list()).extracting(Account::username).containsExactly("bob");
    }
  }
}
