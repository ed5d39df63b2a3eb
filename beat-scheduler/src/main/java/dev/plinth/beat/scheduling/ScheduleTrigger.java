package dev.plinth.beat.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * When a schedule falls due. Due times are a pure function of the trigger: every replica agrees.
 */
public sealed interface ScheduleTrigger {
  /** The first due time strictly after {@code after}. */
  Instant nextAfter(Instant after);

  /** The latest due time in {@code (after, atOrBefore]}, or null when there is none. */
  default Instant latestBetween(Instant after, Instant atOrBefore) {
    Instant latest = null;
    for (Instant due = nextAfter(after); !due.isAfter(atOrBefore); due = nextAfter(due)) {
      latest = due;
    }
    return latest;
  }

  /** Every {@code every}, aligned to the Unix epoch (so a 1-minute interval fires at :00). */
  record Interval(Duration every) implements ScheduleTrigger {
    public Interval {
      if (every.isNegative() || every.isZero() || every.toMillis() < 1000) {
        throw new IllegalArgumentException("interval must be at least 1s, got " + every);
      }
    }

    @Override
    public Instant nextAfter(Instant after) {
      long step = every.toMillis();
      long at = after.toEpochMilli();
      return Instant.ofEpochMilli(Math.floorDiv(at, step) * step + step);
    }

    @Override
    public Instant latestBetween(Instant after, Instant atOrBefore) {
      long step = every.toMillis();
      Instant latest = Instant.ofEpochMilli(Math.floorDiv(atOrBefore.toEpochMilli(), step) * step);
      return latest.isAfter(after) ? latest : null;
    }

    @Override
    public String toString() {
      return "every " + every;
    }
  }

  /** A cron expression on the wall clock of {@code zone} (see {@link CronExpression}). */
  record Cron(CronExpression expression, ZoneId zone) implements ScheduleTrigger {
    @Override
    public Instant nextAfter(Instant after) {
      return expression.nextAfter(after, zone);
    }

    @Override
    public String toString() {
      return "cron '" + expression + "' " + zone;
    }
  }
}
