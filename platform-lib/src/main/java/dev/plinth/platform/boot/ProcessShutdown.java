package dev.plinth.platform.boot;

import dev.plinth.platform.config.PlinthSettings;
import dev.plinth.platform.dockerflow.http.LoadBalancerDrain;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.EmbeddedApplication;
import io.micronaut.runtime.graceful.GracefulShutdownManager;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What SIGTERM does to a long-running mode, in place of Micronaut's own hook, which stops the HTTP
 * server at once and drops the requests in flight (docs/deployment.md, "Stopping"):
 *
 * <ol>
 *   <li>the drain begins: {@code /__lbheartbeat__} answers 503 while everything else is still
 *       served, for {@code APP_SHUTDOWN_DELAY_SECONDS}, so load balancers stop routing here;
 *   <li>the listeners close and each connection closes after its last response (Micronaut's
 *       graceful shutdown), within {@code APP_SHUTDOWN_GRACE_SECONDS};
 *   <li>the server and the context stop: each mode's beans finish their own work (the worker its
 *       running tasks, BEAT its tick) within the same grace, on their own clocks;
 *   <li>the process exits 0. When the grace ran out first, the rest still stops and the JVM exits
 *       143, as signalled, so an orchestrator can tell a clean drain from a cut one.
 * </ol>
 */
final class ProcessShutdown {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessShutdown.class);

  private ProcessShutdown() {}

  /** Registers the hook for a started context and its server. */
  static void install(
      ApplicationContext context,
      EmbeddedApplication<?> application,
      PlinthSettings.Shutdown settings) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (drain(context, application, settings)) {
                    // Every bean has stopped and the logs are written: nothing is left to run.
                    System.out.flush();
                    System.err.flush();
                    Runtime.getRuntime().halt(0);
                  }
                },
                "plinth-shutdown"));
  }

  /** Drains and stops; true when everything finished within the grace. */
  static boolean drain(
      ApplicationContext context,
      EmbeddedApplication<?> application,
      PlinthSettings.Shutdown settings) {
    if (!application.isRunning()) {
      // Stopped already (the management stop endpoint): nothing to drain.
      return false;
    }
    LOG.atInfo()
        .addKeyValue("delay_ms", settings.delay().toMillis())
        .addKeyValue("grace_ms", settings.grace().toMillis())
        .log("shutdown.drain");
    context.findBean(LoadBalancerDrain.class).ifPresent(LoadBalancerDrain::begin);
    boolean drained = pause(settings.delay().toMillis());
    if (drained) {
      drained =
          context
              .findBean(GracefulShutdownManager.class)
              .map(manager -> finish(manager, settings.grace().toMillis()))
              .orElse(true);
    }
    try (context) {
      application.stop();
    } catch (RuntimeException e) {
      LOG.atError().setCause(e).log("shutdown.failed");
      drained = false;
    }
    LOG.atInfo().addKeyValue("drained", drained).log("shutdown.complete");
    return drained;
  }

  private static boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean finish(GracefulShutdownManager manager, long graceMillis) {
    try {
      manager.shutdownGracefully().toCompletableFuture().get(graceMillis, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      LOG.atWarn()
          .addKeyValue("grace_ms", graceMillis)
          .log("shutdown.grace.expired: requests still in flight are cut");
      return false;
    } catch (ExecutionException e) {
      LOG.atWarn().setCause(e).log("shutdown.graceful.failed");
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
