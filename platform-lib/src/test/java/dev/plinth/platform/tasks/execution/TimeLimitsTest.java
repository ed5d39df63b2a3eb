package dev.plinth.platform.tasks.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The time-limit ticker: interrupts what runs past its deadline, and nothing else. */
class TimeLimitsTest {
  static TimeLimits limits;

  @BeforeAll
  static void start() {
    limits = new TimeLimits("test-time-limit");
  }

  @AfterAll
  static void stop() {
    limits.close();
  }

  @Test
  void anAttemptPastItsDeadlineIsInterruptedAndTheInterruptDoesNotOutliveIt() {
    CountDownLatch never = new CountDownLatch(1);
    // An attempt with a far deadline first: the ticker sleeps towards it and must wake earlier.
    TimeLimits.Attempt far = limits.start(TimeUnit.HOURS.toNanos(1));
    long started = System.nanoTime();
    try (TimeLimits.Attempt attempt = limits.start(TimeUnit.MILLISECONDS.toNanos(200))) {
      assertThatThrownBy(never::await).isInstanceOf(InterruptedException.class);
      assertThat(attempt.timedOut()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    far.close();
    assertThat(far.timedOut()).isFalse();
  }

  @Test
  void attemptsThatEndInTimeAreNeverInterrupted() {
    for (int i = 0; i < 10_000; i++) {
      try (TimeLimits.Attempt attempt = limits.start(TimeUnit.SECONDS.toNanos(30))) {
        assertThat(attempt.timedOut()).isFalse();
      }
    }
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void aSoftLimitInterruptsOnceAndTheHardOneStillEndsTheAttempt() {
    CountDownLatch never = new CountDownLatch(1);
    long started = System.nanoTime();
    try (TimeLimits.Attempt attempt =
        limits.start(TimeUnit.MILLISECONDS.toNanos(600), TimeUnit.MILLISECONDS.toNanos(150))) {
      assertThatThrownBy(never::await).isInstanceOf(InterruptedException.class);
      assertThat(attempt.softPassed()).isTrue();
      assertThat(attempt.timedOut()).isFalse();
      // The clean-up the handler does now is interrupted again only at the hard limit.
      assertThatThrownBy(never::await).isInstanceOf(InterruptedException.class);
      assertThat(attempt.timedOut()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void aSoftLimitNoShorterThanTheHardOneIsNone() {
    try (TimeLimits.Attempt attempt =
        limits.start(TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(100))) {
      assertThatThrownBy(() -> new CountDownLatch(1).await())
          .isInstanceOf(InterruptedException.class);
      assertThat(attempt.softPassed()).isFalse();
      assertThat(attempt.timedOut()).isTrue();
    }
  }
}
