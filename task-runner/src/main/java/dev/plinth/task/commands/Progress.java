package dev.plinth.task.commands;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a long command: when a person watches (a terminal), the progressbar library's bar on
 * stderr, with rate and ETA; otherwise (a container's log, a pipe) a mozlog {@code
 * command.progress} line every few seconds and none of the bar's control characters.
 */
public final class Progress implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("command.progress");

  private final String what;
  private final long total;
  private final ProgressBar bar;
  private final long logEveryNanos;
  private long done;
  private long lastLogNanos;

  private Progress(String what, long total, boolean terminal, Duration logEvery) {
    this.what = what;
    this.total = Math.max(total, 0);
    this.bar = terminal ? bar(what, this.total) : null;
    this.logEveryNanos = logEvery.toNanos();
    this.lastLogNanos = System.nanoTime();
  }

  private static ProgressBar bar(String what, long total) {
    return new ProgressBarBuilder()
        .setTaskName(what)
        .setInitialMax(total)
        // ASCII: a terminal's font or a tmux pane need not have the block characters.
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new ConsoleProgressBarConsumer(System.err))
        .showSpeed()
        .setSpeedUnit(ChronoUnit.SECONDS)
        .setUpdateIntervalMillis(200)
        .build();
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
    if (bar != null) {
      bar.stepBy(count);
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
    if (bar != null) {
      bar.close();
    } else {
      logLine();
    }
  }
}
