package dev.plinth.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Celery's rate notation; the limits themselves are {@code WorkerRateLimitTest}'s. */
class RateLimitTest {
  @Test
  void celerysNotationReadsAsAnIntervalBetweenRuns() {
    assertThat(RateLimit.parse("10/s").interval()).isEqualTo(Duration.ofMillis(100));
    assertThat(RateLimit.parse("100/m").interval()).isEqualTo(Duration.ofMillis(600));
    assertThat(RateLimit.parse("3600/h").interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(RateLimit.parse(" 4 ").interval()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void anythingElseIsRefusedNamingIt() {
    for (String bad : new String[] {"0/s", "ten/s", "10/d", "", "-1"}) {
      assertThatThrownBy(() -> RateLimit.parse(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("'" + bad + "' is not a rate limit such as 10/s, 100/m or 1000/h");
    }
  }
}
