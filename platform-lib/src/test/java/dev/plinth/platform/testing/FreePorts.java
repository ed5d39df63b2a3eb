package dev.plinth.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free TCP ports on the loopback interface, for tests that must name a port before they start
 * something on it (the public and the management port of a mode started in-process).
 */
public final class FreePorts {
  private FreePorts() {}

  /**
   * A port that was free a moment ago. Another process may take it before the caller binds it; on a
   * development or CI machine that is rare enough for tests.
   */
  public static int pick() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free TCP port", e);
    }
  }
}
