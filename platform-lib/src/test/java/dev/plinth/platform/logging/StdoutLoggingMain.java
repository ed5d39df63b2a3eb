package dev.plinth.platform.logging;

import dev.plinth.platform.config.ResolvedEnvironment;
import dev.plinth.platform.secrets.SecretRedactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A process that logs through the shipped logging set-up (PlinthLogbackConfigurator), for {@link
 * StdoutLoggingTest}.
 */
final class StdoutLoggingMain {
  private StdoutLoggingMain() {}

  public static void main(String[] args) {
    // As PlinthApplication does before anything logs: the environment's secrets are redacted.
    SecretRedactor.installForProcess(ResolvedEnvironment.plain(System.getenv()));
    Logger log = LoggerFactory.getLogger("stdout.test");
    MDC.put(RequestIds.MDC_KEY, "process-rid");
    log.atInfo().addKeyValue("count", 3).log("first line ünïcödé \"quoted\"\nsecond line");
    log.debug("debug line");
    log.warn("with an exception", new IllegalStateException("boom"));
    LoggerFactory.getLogger("io.netty.buffer.PoolThreadCache").debug("netty debug");
    String secret = System.getenv("STDOUT_TEST_SECRET");
    if (secret != null) {
      log.info("secret in a message: {}", secret);
    }
    System.out.flush();
  }
}
