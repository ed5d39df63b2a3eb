package dev.plinth.platform.testing;

/**
 * A main class for tests that start the platform without a mode module: {@code
 * PlinthApplication.builder(TestModes.WEB, PlatformTestApplication.class, env).start()} starts
 * every platform bean on the test classpath, the HTTP server included.
 */
public final class PlatformTestApplication {
  private PlatformTestApplication() {}
}
