package dev.plinth.platform.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** A process that logs through the shipped logback.xml, for {@link StdoutLoggingTest}. */
final class StdoutLoggingMain {
  private StdoutLoggingMain() {}

  public static void main(String[] args) {
    Logger log = LoggerFactory.getLogger("stdout.test");
    MDC.put(RequestIds.MDC_KEY, "process-rid");
    log.atInfo().addKeyValue("count", 3).log("first line ünïcödé \"quoted\"\nsecond line");
    log.debug("debug line");
    log.warn("with an exception", new IllegalStateException("boom"));
    LoggerFactory.getLogger("io.netty.buffer.PoolThreadCache").debug("netty debug");
    System.out.flush();
  }
}
