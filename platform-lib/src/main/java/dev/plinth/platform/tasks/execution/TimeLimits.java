package dev.plinth.platform.tasks.execution;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The time limits of running attempts: one daemon thread that sleeps until the earliest deadline
 * and interrupts the threads whose attempt ran past it — once at a soft limit (the handler may
 * clean up), and at the hard limit for good. An attempt costs an entry in a concurrent set and,
 * only when its deadline is earlier than the one the thread sleeps towards, a wake-up; no timer
 * task is scheduled and cancelled per attempt.
 */
final class TimeLimits {
  /** The longest the thread sleeps without looking (a safety net, not a precision). */
  private static final long MAX_SLEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** One attempt under a limit; {@link #close()} ends it. */
  final class Attempt implements AutoCloseable {
    private final Thread thread;
    private final long deadline;
    private final long softDeadline;
    private boolean done; // guarded by this
    private volatile boolean timedOut;
    private volatile boolean softPassed;
    private volatile boolean terminated;

    private Attempt(Thread thread, long deadline, long softDeadline) {
      this.thread = thread;
      this.deadline = deadline;
      this.softDeadline = softDeadline;
    }

    /** True once the hard limit interrupted the attempt. */
    boolean timedOut() {
      return timedOut;
    }

    /** True once the soft limit passed (and interrupted the attempt, once). */
    boolean softPassed() {
      return softPassed;
    }

    private synchronized void expire() {
      if (!done) {
        timedOut = true;
        thread.interrupt();
      }
    }

    /** Interrupts the attempt unless it has ended (a revoke with {@code terminate}). */
    synchronized void terminate() {
      if (!done) {
        terminated = true;
        thread.interrupt();
      }
    }

    private synchronized void soften() {
      if (!done && !softPassed) {
        softPassed = true;
        thread.interrupt();
      }
    }

    /** The next deadline the ticker must act on: the soft one until it has passed. */
    private long nextDeadline() {
      return softPassed || softDeadline - deadline >= 0 ? deadline : softDeadline;
    }

    /**
     * Ends the attempt on its own thread: after this no interrupt comes from the limit, and one
     * that came is cleared (the thread goes on to other work).
     */
    @Override
    public void close() {
      synchronized (this) {
        done = true;
      }
      running.remove(this);
      if (timedOut || softPassed || terminated) {
        Thread.interrupted();
      }
    }
  }

  private final Set<Attempt> running = ConcurrentHashMap.newKeySet();
  private final Thread ticker;
  private volatile long wakeAt = Long.MAX_VALUE;
  private volatile boolean closed;

  TimeLimits(String name) {
    ticker = new Thread(this::loop, name);
    ticker.setDaemon(true);
    ticker.start();
  }

  /** Starts an attempt of the calling thread that must end within {@code limitNanos}. */
  Attempt start(long limitNanos) {
    return start(limitNanos, Long.MAX_VALUE);
  }

  /**
   * As {@link #start(long)}, told at {@code softNanos} (no soft limit when that is not shorter than
   * the hard one).
   */
  Attempt start(long limitNanos, long softNanos) {
    long now = System.nanoTime();
    long deadline = now + Math.max(0, limitNanos);
    long softDeadline = softNanos >= limitNanos ? deadline : now + Math.max(0, softNanos);
    Attempt attempt = new Attempt(Thread.currentThread(), deadline, softDeadline);
    deadline = attempt.nextDeadline();
    running.add(attempt);
    // Read after the add: either the ticker's scan sees the attempt, or it planned to wake at a
    // time this reads (Long.MAX_VALUE while it scans: then it rescans at once).
    if (deadline - wakeAt < 0 || wakeAt == Long.MAX_VALUE) {
      LockSupport.unpark(ticker);
    }
    return attempt;
  }

  private void loop() {
    while (!closed) {
      wakeAt = Long.MAX_VALUE;
      long now = System.nanoTime();
      long next = now + MAX_SLEEP_NANOS;
      for (Attempt a : running) {
        if (a.deadline - now <= 0) {
          a.expire();
          running.remove(a);
          continue;
        }
        if (a.nextDeadline() - now <= 0) {
          a.soften();
        }
        if (a.nextDeadline() - next < 0) {
          next = a.nextDeadline();
        }
      }
      wakeAt = next;
      LockSupport.parkNanos(this, next - now);
    }
  }

  void close() {
    closed = true;
    LockSupport.unpark(ticker);
  }
}
