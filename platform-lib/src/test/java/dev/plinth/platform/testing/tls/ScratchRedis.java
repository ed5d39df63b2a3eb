package dev.plinth.platform.testing.tls;

import dev.plinth.platform.testing.FreePorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@code redis-server} of the test's own, speaking TLS only (as ElastiCache with in-transit
 * encryption does), with {@code AUTH} required of the {@code default} user and an ACL user beside
 * it. Started from Debian's redis-server, which is built with TLS; stopped by {@link #close()}.
 */
public final class ScratchRedis implements AutoCloseable {
  private final Process process;
  private final int port;

  private ScratchRedis(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts a server on a free loopback port with {@code certificate}, requiring {@code password} of
   * the default user and {@code aclPassword} of the ACL user {@code aclUser}.
   */
  public static ScratchRedis startTls(
      Path dir,
      TestCertificates.Server certificate,
      String password,
      String aclUser,
      String aclPassword) {
    int port = FreePorts.pick();
    List<String> command =
        new ArrayList<>(
            List.of(
                "redis-server",
                "--port",
                "0",
                "--bind",
                "127.0.0.1",
                "--tls-port",
                String.valueOf(port),
                "--tls-cert-file",
                certificate.certificate().toString(),
                "--tls-key-file",
                certificate.key().toString(),
                "--tls-auth-clients",
                "no",
                "--requirepass",
                password,
                "--user",
                aclUser,
                "on",
                ">" + aclPassword,
                "~*",
                "&*",
                "+@all",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString()));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      CompletableFuture<Boolean> ready = new CompletableFuture<>();
      StringBuilder output = new StringBuilder();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader lines =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = lines.readLine()) != null) {
                    synchronized (output) {
                      output.append(line).append('\n');
                    }
                    if (line.contains("Ready to accept connections")) {
                      ready.complete(true);
                    }
                  }
                } catch (IOException e) {
                  // the process went away
                }
                ready.complete(false);
              },
              "scratch-redis-" + port);
      reader.setDaemon(true);
      reader.start();
      if (!ready.get(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        synchronized (output) {
          throw new IllegalStateException("redis-server did not start: " + output);
        }
      }
      return new ScratchRedis(process, port);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "redis-server is needed (Debian: apt-get install redis-server)", e);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new IllegalStateException("redis-server did not start", e);
    }
  }

  /** The TLS port on 127.0.0.1. */
  public int port() {
    return port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
