package dev.plinth.platform.accounts;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The login accounts (table {@code login_account}). Passwords are kept only as BCrypt hashes (cost
 * {@value #COST}, about a quarter of a second here: slow for a guesser, unnoticed at a login), and
 * checking an unknown username costs the same as a wrong password, so timing tells no one which
 * usernames exist.
 */
@Singleton
public class Accounts {
  static final int COST = 12;
  static final int MIN_PASSWORD = 10;
  // BCrypt reads at most 72 bytes; a longer password would be checked by its first 72 only.
  static final int MAX_PASSWORD_BYTES = 72;
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9@.+_-]{1,150}");
  private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private final DataSource dataSource;
  private final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(COST);
  // Compared against when the username is unknown, so that answer takes as long as a wrong one;
  // made at the first check rather than at start-up (it costs what a hash costs).
  private volatile String decoy;

  Accounts(DataSource dataSource) {
    this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
  }

  /** Makes an account; fails when the username is taken or a value is not acceptable. */
  public Account create(String username, String displayName, String password, List<String> roles) {
    checkUsername(username);
    String name = displayName == null || displayName.isBlank() ? username : displayName.strip();
    if (name.length() > 200) {
      throw new AccountException("the display name: at most 200 characters");
    }
    for (String role : roles) {
      if (!ROLE.matcher(role).matches()) {
        throw new AccountException("role " + role + ": 1-64 letters, digits, '.', '_', ':' or '-'");
      }
    }
    String hash = hash(password);
    Timestamp now = Timestamp.from(Instant.now());
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO login_account (username, display_name, password_hash, roles,"
                    + " created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      if (find(c, username).isPresent()) {
        throw new AccountException("account " + username + " exists already");
      }
      s.setString(1, username);
      s.setString(2, name);
      s.setString(3, hash);
      s.setString(4, String.join(" ", roles));
      s.setTimestamp(5, now);
      s.setTimestamp(6, now);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new AccountException(
          "cannot make account " + username + " (" + e.getMessage() + ")", e);
    }
    return new Account(username, name, List.copyOf(roles));
  }

  /** Sets an account's password; false when there is no such account. */
  public boolean setPassword(String username, String password) {
    String hash = hash(password);
    return update(
        "UPDATE login_account SET password_hash = ?, password_changed_at = ? WHERE username = ?",
        username,
        hash,
        Timestamp.from(Instant.now()));
  }

  /** Removes an account; false when there was none. */
  public boolean remove(String username) {
    return update("DELETE FROM login_account WHERE username = ?", username);
  }

  /** Every account, by username. */
  public List<Account> list() {
    List<Account> accounts = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT username, display_name, roles FROM login_account ORDER BY username");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        accounts.add(account(r));
      }
    } catch (SQLException e) {
      throw new AccountException("cannot list the accounts (" + e.getMessage() + ")", e);
    }
    return accounts;
  }

  /**
   * The account when {@code password} is its password; empty for a wrong password and for an
   * unknown username alike, after the same work.
   */
  public Optional<Account> verify(String username, String password) {
    Optional<Stored> stored = Optional.empty();
    if (USERNAME.matcher(username).matches()) {
      try (Connection c = dataSource.getConnection()) {
        stored = find(c, username);
      } catch (SQLException e) {
        throw new AccountException(
            "cannot read account " + username + " (" + e.getMessage() + ")", e);
      }
    }
    boolean matches =
        acceptableLength(password)
            && encoder.matches(password, stored.isPresent() ? stored.get().hash() : decoy());
    return matches ? stored.map(Stored::account) : Optional.empty();
  }

  private String decoy() {
    String made = decoy;
    if (made == null) {
      made = encoder.encode("a decoy password, never anyone's");
      decoy = made;
    }
    return made;
  }

  private record Stored(Account account, String hash) {}

  private static Optional<Stored> find(Connection c, String username) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT username, display_name, roles, password_hash FROM login_account"
                + " WHERE username = ?")) {
      s.setString(1, username);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(new Stored(account(r), r.getString(4))) : Optional.empty();
      }
    }
  }

  private static Account account(ResultSet r) throws SQLException {
    String roles = r.getString(3);
    return new Account(
        r.getString(1),
        r.getString(2),
        roles.isBlank() ? List.of() : Arrays.asList(roles.split(" ")));
  }

  private boolean update(String sql, String username, Object... values) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      int i = 1;
      for (Object value : values) {
        s.setObject(i++, value);
      }
      s.setString(i, username);
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new AccountException(
          "cannot change account " + username + " (" + e.getMessage() + ")", e);
    }
  }

  private static void checkUsername(String username) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw new AccountException("the username: 1-150 letters, digits, '@', '.', '+', '_' or '-'");
    }
  }

  private String hash(String password) {
    if (password == null || password.length() < MIN_PASSWORD) {
      throw new AccountException("the password: at least " + MIN_PASSWORD + " characters");
    }
    if (!acceptableLength(password)) {
      throw new AccountException(
          "the password: at most " + MAX_PASSWORD_BYTES + " bytes (BCrypt reads no further)");
    }
    return encoder.encode(password);
  }

  private static boolean acceptableLength(String password) {
    return password.getBytes(StandardCharsets.UTF_8).length <= MAX_PASSWORD_BYTES;
  }
}
