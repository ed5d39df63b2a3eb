package dev.plinth.beat.scheduling;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.BitSet;
import java.util.Locale;

/**
 * A five-field cron expression ({@code minute hour day-of-month month day-of-week}) evaluated on
 * the wall clock of a time zone, with defined behaviour across daylight-saving changes:
 *
 * <ul>
 *   <li>a wall-clock time that does not exist (the hour skipped in spring) fires once, at the
 *       instant the clocks jump;
 *   <li>a wall-clock time that happens twice (the hour repeated in autumn) fires once, at its first
 *       occurrence.
 * </ul>
 *
 * Both rules keep the mapping from wall-clock time to instant monotonic, so "the next run after
 * instant t" is the first matching wall-clock time whose instant is after t. Day-of-month and
 * day-of-week follow Vixie cron: when both are restricted, a day matching either fires.
 *
 * <p>Not Micronaut's {@code io.micronaut.scheduling.cron.CronExpression}: tried on Europe/London
 * 2026, it skips the 01:30 run in the spring gap and fires 01:30 twice in the autumn repeat.
 */
public final class CronExpression {
  private static final String[] MONTHS = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  /** A cron that matches nothing (e.g. 30 February) stops looking after this many years. */
  private static final int MAX_YEARS = 8;

  private final String text;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean dayOfMonthRestricted;
  private final boolean dayOfWeekRestricted;

  private CronExpression(String text, String[] fields) {
    this.text = text;
    this.minutes = parseField(fields[0], 0, 59, null, "minute");
    this.hours = parseField(fields[1], 0, 23, null, "hour");
    this.daysOfMonth = parseField(fields[2], 1, 31, null, "day of month");
    this.months = parseField(fields[3], 1, 12, MONTHS, "month");
    BitSet dow = parseField(fields[4], 0, 7, DAYS, "day of week");
    if (dow.get(7)) { // 7 is Sunday too
      dow.set(0);
      dow.clear(7);
    }
    this.daysOfWeek = dow;
    this.dayOfMonthRestricted = !fields[2].startsWith("*");
    this.dayOfWeekRestricted = !fields[4].startsWith("*");
  }

  /**
   * Parses a five-field expression; the macros {@code @hourly @daily @midnight @weekly @monthly
   * @yearly @annually} are accepted too.
   *
   * @throws IllegalArgumentException naming the field that is wrong
   */
  public static CronExpression parse(String expression) {
    String text = expression == null ? "" : expression.trim();
    String expanded =
        switch (text.toLowerCase(Locale.ROOT)) {
          case "@hourly" -> "0 * * * *";
          case "@daily", "@midnight" -> "0 0 * * *";
          case "@weekly" -> "0 0 * * 0";
          case "@monthly" -> "0 0 1 * *";
          case "@yearly", "@annually" -> "0 0 1 1 *";
          default -> text;
        };
    String[] fields = expanded.split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException(
          "cron expression '"
              + text
              + "' must have 5 fields (minute hour day-of-month month day-of-week)");
    }
    return new CronExpression(text, fields);
  }

  /** The first run strictly after {@code after}, evaluated on the wall clock of {@code zone}. */
  public Instant nextAfter(Instant after, ZoneId zone) {
    ZoneRules rules = zone.getRules();
    // No wall-clock time before after's own maps past it (the mapping is monotonic), so the scan
    // starts at after's wall-clock minute.
    LocalDateTime candidate = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES);
    LocalDateTime limit = candidate.plusYears(MAX_YEARS);
    while (candidate.isBefore(limit)) {
      candidate = nextLocal(candidate, limit);
      if (candidate == null) {
        break;
      }
      Instant instant = toInstant(candidate, rules);
      if (instant.isAfter(after)) {
        return instant;
      }
    }
    throw new IllegalStateException("cron expression '" + text + "' never fires");
  }

  /** Wall-clock time to instant: a skipped time fires when the clocks jump, a repeated one once. */
  static Instant toInstant(LocalDateTime local, ZoneRules rules) {
    var offsets = rules.getValidOffsets(local);
    if (offsets.isEmpty()) {
      ZoneOffsetTransition gap = rules.getTransition(local);
      return gap.getInstant();
    }
    // Two offsets in an overlap: the larger one is the first occurrence (summer time).
    ZoneOffset a = offsets.get(0);
    ZoneOffset b = offsets.get(offsets.size() - 1);
    return local.toInstant(a.getTotalSeconds() >= b.getTotalSeconds() ? a : b);
  }

  /** The first matching wall-clock minute strictly after {@code from}, or null before limit. */
  private LocalDateTime nextLocal(LocalDateTime from, LocalDateTime limit) {
    LocalDateTime t = from.plusMinutes(1);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
        continue;
      }
      if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
        continue;
      }
      if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
        continue;
      }
      if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
        continue;
      }
      return t;
    }
    return null;
  }

  private boolean dayMatches(LocalDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow =
        daysOfWeek.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
    if (dayOfMonthRestricted && dayOfWeekRestricted) {
      return dom || dow;
    }
    return dom && dow;
  }

  private static BitSet parseField(String field, int min, int max, String[] names, String what) {
    BitSet bits = new BitSet(max + 1);
    for (String part : field.split(",")) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = number(part.substring(slash + 1), 1, max, null, what, field);
        range = part.substring(0, slash);
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max;
      } else if (range.contains("-")) {
        String[] ends = range.split("-", 2);
        from = number(ends[0], min, max, names, what, field);
        to = number(ends[1], min, max, names, what, field);
        if (to < from) {
          throw invalid(what, field, "range " + range + " runs backwards");
        }
      } else {
        from = number(range, min, max, names, what, field);
        to = slash >= 0 ? max : from;
      }
      for (int v = from; v <= to; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(
      String token, int min, int max, String[] names, String what, String field) {
    if (names != null) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equalsIgnoreCase(token)) {
          return names == MONTHS ? i + 1 : i;
        }
      }
    }
    try {
      int value = Integer.parseInt(token);
      if (value < min || value > max) {
        throw invalid(what, field, token + " is outside " + min + "-" + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw invalid(what, field, "'" + token + "' is not a number");
    }
  }

  private static IllegalArgumentException invalid(String what, String field, String why) {
    return new IllegalArgumentException("cron " + what + " field '" + field + "': " + why);
  }

  @Override
  public String toString() {
    return text;
  }
}
