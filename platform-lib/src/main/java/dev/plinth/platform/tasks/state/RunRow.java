package dev.plinth.platform.tasks.state;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The eight columns every {@code task_run} row write begins with, in the order of their VALUES, and
 * how they are bound: as timestamps, or as text for the PostgreSQL upserts, whose SQL casts it.
 */
record RunRow(
    String id,
    String name,
    String status,
    int attempts,
    String rid,
    Instant enqueuedAt,
    Instant startedAt,
    Instant updatedAt) {

  /**
   * Binds the columns to parameters 1-8; {@code asText} for the upserts (see {@link
   * #bindTimestamp}).
   */
  void bind(PreparedStatement s, boolean asText) throws SQLException {
    s.setString(1, id);
    s.setString(2, name);
    s.setString(3, status);
    s.setInt(4, attempts);
    s.setString(5, rid);
    Instant[] times = {enqueuedAt, startedAt, updatedAt};
    for (int i = 0; i < times.length; i++) {
      if (asText) {
        bindTimestamp(s, 6 + i, times[i]);
      } else {
        s.setObject(6 + i, odt(times[i]));
      }
    }
  }

  /**
   * Binds a timestamp of a PostgreSQL upsert (its SQL casts the text): PgJDBC's {@code
   * setObject(OffsetDateTime)} formats through calendars and zone rules, and its large methods kept
   * the C2 compiler busy for seconds of a worker's first minute under load.
   */
  static void bindTimestamp(PreparedStatement s, int index, Instant instant) throws SQLException {
    String text = instant == null ? null : pgTimestamp(instant);
    if (instant == null || text != null) {
      s.setString(index, text);
    } else {
      s.setObject(index, odt(instant));
    }
  }

  /**
   * {@code yyyy-MM-dd HH:mm:ss.ffffff+00}, rounded half up to the microsecond as PgJDBC rounds;
   * null outside years 1-9999.
   */
  static String pgTimestamp(Instant instant) {
    long seconds = instant.getEpochSecond();
    int micros = (instant.getNano() + 500) / 1000;
    if (micros == 1_000_000) {
      seconds++;
      micros = 0;
    }
    long days = Math.floorDiv(seconds, 86_400);
    int secondOfDay = Math.floorMod(seconds, 86_400);
    LocalDate date = LocalDate.ofEpochDay(days);
    int year = date.getYear();
    if (year < 1 || year > 9999) {
      return null;
    }
    char[] c = "0000-00-00 00:00:00.000000+00".toCharArray();
    put(c, 0, year, 4);
    put(c, 5, date.getMonthValue(), 2);
    put(c, 8, date.getDayOfMonth(), 2);
    put(c, 11, secondOfDay / 3600, 2);
    put(c, 14, secondOfDay / 60 % 60, 2);
    put(c, 17, secondOfDay % 60, 2);
    put(c, 20, micros, 6);
    return new String(c);
  }

  private static void put(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  static OffsetDateTime odt(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(ResultSet r, int column) throws SQLException {
    OffsetDateTime value = r.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
