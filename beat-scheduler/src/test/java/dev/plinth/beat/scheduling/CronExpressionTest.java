package dev.plinth.beat.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronExpressionTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static List<Instant> runs(String cron, ZoneId zone, String after, int count) {
    CronExpression expression = CronExpression.parse(cron);
    List<Instant> runs = new ArrayList<>();
    Instant t = Instant.parse(after);
    for (int i = 0; i < count; i++) {
      t = expression.nextAfter(t, zone);
      runs.add(t);
    }
    return runs;
  }

  @Test
  void aDailyRunInTheSkippedHourFiresOnceWhenTheClocksJump() {
    // London, 29 March 2026: 01:00 GMT becomes 02:00 BST; 01:30 does not exist that day.
    assertThat(runs("30 1 * * *", LONDON, "2026-03-27T12:00:00Z", 3))
        .containsExactly(
            Instant.parse("2026-03-28T01:30:00Z"), // 01:30 GMT
            Instant.parse("2026-03-29T01:00:00Z"), // the jump
            Instant.parse("2026-03-30T00:30:00Z")); // 01:30 BST
  }

  @Test
  void aDailyRunInTheRepeatedHourFiresOnceAtItsFirstOccurrence() {
    // London, 25 October 2026: 02:00 BST becomes 01:00 GMT; 01:30 happens twice.
    assertThat(runs("30 1 * * *", LONDON, "2026-10-24T12:00:00Z", 2))
        .containsExactly(
            Instant.parse("2026-10-25T00:30:00Z"), // 01:30 BST, the first 01:30
            Instant.parse("2026-10-26T01:30:00Z")); // 01:30 GMT next day
  }

  @Test
  void aWallClockTimeOutsideTheChangeKeepsItsLocalTime() {
    assertThat(runs("0 9 * * *", NEW_YORK, "2026-03-07T00:00:00Z", 2))
        .containsExactly(
            Instant.parse("2026-03-07T14:00:00Z"), // 09:00 EST
            Instant.parse("2026-03-08T13:00:00Z")); // 09:00 EDT
  }

  @Test
  void aFrequentScheduleNeitherRepeatsNorStallsAcrossTheJump() {
    assertThat(runs("*/30 * * * *", LONDON, "2026-03-28T23:45:00Z", 5))
        .containsExactly(
            Instant.parse("2026-03-29T00:00:00Z"),
            Instant.parse("2026-03-29T00:30:00Z"),
            Instant.parse("2026-03-29T01:00:00Z"), // 01:00 GMT skipped = 02:00 BST
            Instant.parse("2026-03-29T01:30:00Z"),
            Instant.parse("2026-03-29T02:00:00Z"));
  }

  @Test
  void fieldsRangesStepsNamesAndDayRules() {
    // Weekdays at 08:15 in UTC: Friday 2026-11-27, then Monday 2026-11-30.
    assertThat(runs("15 8 * * MON-FRI", ZoneId.of("UTC"), "2026-11-27T00:00:00Z", 2))
        .containsExactly(
            Instant.parse("2026-11-27T08:15:00Z"), Instant.parse("2026-11-30T08:15:00Z"));
    // Both day fields restricted: either matches (the 1st, or any Sunday).
    assertThat(runs("0 0 1 * SUN", ZoneId.of("UTC"), "2026-11-28T00:00:00Z", 2))
        .containsExactly(
            Instant.parse("2026-11-29T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(runs("@monthly", ZoneId.of("UTC"), "2026-11-28T00:00:00Z", 1))
        .containsExactly(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(runs("0 12 29 FEB *", ZoneId.of("UTC"), "2026-01-01T00:00:00Z", 1))
        .containsExactly(Instant.parse("2028-02-29T12:00:00Z"));
  }

  @Test
  void badExpressionsNameTheField() {
    assertThatThrownBy(() -> CronExpression.parse("* * *"))
        .hasMessageContaining("must have 5 fields");
    assertThatThrownBy(() -> CronExpression.parse("61 * * * *"))
        .hasMessageContaining("minute")
        .hasMessageContaining("outside 0-59");
    assertThatThrownBy(() -> CronExpression.parse("0 0 * * FUN"))
        .hasMessageContaining("day of week");
    assertThatThrownBy(() -> CronExpression.parse("0 5-2 * * *")).hasMessageContaining("backwards");
  }
}
