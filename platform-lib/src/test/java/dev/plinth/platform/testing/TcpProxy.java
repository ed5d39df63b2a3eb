package dev.plinth.platform.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLContext;

/**
 * A plain TCP forwarder on a loopback port, for tests that take a backing service away while a
 * process runs: point the process at {@link #port()} instead of the service, then {@link #close()}
 * the proxy. Closing drops every forwarded connection and refuses new ones, as a dead database host
 * would (connection refused, not a silent black hole). {@link #refuseConnections()} makes a service
 * that is not up yet: connections are accepted and closed at once until {@link
 * #forwardConnections()}.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start("127.0.0.1", 5432)) {
 *   env.put("DATABASE_PORT", String.valueOf(proxy.port()));
 *   ... start, then proxy.close() to "kill" the database ...
 * }
 * }</pre>
 */
public final class TcpProxy implements AutoCloseable {
  private final String targetHost;
  private final int targetPort;
  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicInteger refused = new AtomicInteger();
  private volatile boolean closed;
  private volatile boolean refusing;

  private TcpProxy(String targetHost, int targetPort, ServerSocket server) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = server;
  }

  /** Starts forwarding a free loopback port to {@code targetHost:targetPort}. */
  public static TcpProxy start(String targetHost, int targetPort) {
    return start(targetHost, targetPort, ServerSocketFactory.getDefault());
  }

  /**
   * Starts a TLS-terminating proxy: clients speak TLS to the loopback port with the certificate of
   * {@code server}, the proxy speaks plain TCP to {@code targetHost:targetPort}, as a managed
   * service's TLS endpoint in front of a broker or a database would.
   */
  public static TcpProxy startTls(String targetHost, int targetPort, SSLContext server) {
    return start(targetHost, targetPort, server.getServerSocketFactory());
  }

  private static TcpProxy start(String targetHost, int targetPort, ServerSocketFactory sockets) {
    try {
      ServerSocket server = sockets.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
      TcpProxy proxy = new TcpProxy(targetHost, targetPort, server);
      daemon("tcp-proxy-accept-" + proxy.port(), proxy::acceptLoop).start();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a proxy port", e);
    }
  }

  /** The loopback port to connect to instead of the target. */
  public int port() {
    return server.getLocalPort();
  }

  /** Whether the proxy still forwards. */
  public boolean isOpen() {
    return !closed;
  }

  /** From now on, closes new connections at once (existing ones keep flowing). */
  public void refuseConnections() {
    refusing = true;
  }

  /** From now on, forwards new connections again. */
  public void forwardConnections() {
    refusing = false;
  }

  /** How many connections were closed at once because the proxy was refusing. */
  public int refusedConnections() {
    return refused.get();
  }

  /** Stops accepting and drops every forwarded connection. Idempotent. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    sockets.forEach(TcpProxy::closeQuietly);
    sockets.clear();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (refusing) {
        refused.incrementAndGet();
        closeQuietly(client);
        continue;
      }
      Socket upstream = new Socket();
      try {
        sockets.add(client);
        sockets.add(upstream);
        upstream.connect(new InetSocketAddress(targetHost, targetPort));
        if (closed) {
          throw new IOException("proxy closed");
        }
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(upstream);
        continue;
      }
      String name = "tcp-proxy-" + port() + "-" + client.getPort();
      daemon(name + "-up", () -> pump(client, upstream)).start();
      daemon(name + "-down", () -> pump(upstream, client)).start();
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int read;
      while ((read = in.read(buffer)) != -1) {
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away: drop both below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  private static Thread daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // closing is best effort
    }
  }
}
