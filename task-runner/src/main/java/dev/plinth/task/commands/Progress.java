package dev.plinth.task.commands;

import java.io.PrintStream;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a long command: a bar redrawn on stderr when a person watches (a terminal), a mozlog
 * {@code command.progress} line every few seconds otherwise (a container's log).
 */
public final class Progress implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("command.progress");
  private static final int WIDTH = 30;

  private final String what;
  private final long total;
  private final boolean terminal;
  private final PrintStream bar;
  private final long logEveryNanos;
  private long done;
  private long lastLogNanos;
  private int lastPercent = -1;

  private Progress(String what, long total, boolean terminal, Duration logEvery) {
    this.what = what;
    this.total = Math.max(total, 0);
    this.terminal = terminal;
    this.bar = System.err;
    this.logEveryNanos = logEvery.toNanos();
    this.lastLogNanos = System.nanoTime();
  }

  /** A bar on a terminal ({@code System.console() != null}), log lines otherwise. */
  public static Progress of(String what, long total) {
    return new Progress(what, total, System.console() != null, Duration.ofSeconds(5));
  }

  /** Always log lines, every {@code every}: for tests and for output that is not a terminal. */
  public static Progress logging(String what, long total, Duration every) {
    return new Progress(what, total, false, every);
  }

  public void step(long count) {
    done += count;
    if (terminal) {
      int percent = total == 0 ? 100 : (int) (done * 100 / total);
      if (percent != lastPercent) {
        lastPercent = percent;
        int filled = percent * WIDTH / 100;
        bar.printf(
            "\r%s [%s%s] %3d%% %d/%d",
            what, "#".repeat(filled), " ".repeat(WIDTH - filled), percent, done, total);
        bar.flush();
      }
    } else if (System.nanoTime() - lastLogNanos >= logEveryNanos) {
      lastLogNanos = System.nanoTime();
      logLine();
    }
  }

  private void logLine() {
    log.atInfo()
        .addKeyValue("what", what)
        .addKeyValue("done", done)
        .addKeyValue("total", total)
        .log("command.progress {} {}/{}", what, done, total);
  }

  @Override
  public void close() {
    if (terminal) {
      bar.println();
      bar.flush();
    } else {
      logLine();
    }
  }
}
