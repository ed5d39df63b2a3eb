package dev.plinth.task.commands;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands SIGTERM to the command that is running: its thread is interrupted, and the JVM waits up to
 * {@code APP_SHUTDOWN_GRACE_SECONDS} for it to clean up and for the context to close before it
 * exits with 143, as signalled. Without this the JVM would exit mid-command with nothing closed.
 */
final class CommandShutdown implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommandShutdown.class);

  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread hook;

  private CommandShutdown(Thread command, Duration grace) {
    this.hook =
        new Thread(
            () -> {
              LOG.atInfo().addKeyValue("grace_ms", grace.toMillis()).log("command.interrupted");
              command.interrupt();
              try {
                if (!done.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                  LOG.atWarn().log("command.grace.expired: exiting before it finished");
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "plinth-command-shutdown");
  }

  /** Watches for SIGTERM while the calling thread runs commands. */
  static CommandShutdown install(Duration grace) {
    CommandShutdown shutdown = new CommandShutdown(Thread.currentThread(), grace);
    Runtime.getRuntime().addShutdownHook(shutdown.hook);
    return shutdown;
  }

  /** The commands finished and the context is closed: a signal now has nothing to wait for. */
  @Override
  public void close() {
    done.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook is running and has just been released.
    }
  }
}
