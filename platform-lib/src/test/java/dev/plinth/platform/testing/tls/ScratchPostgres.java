package dev.plinth.platform.testing.tls;

import dev.plinth.platform.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster of the test's own that accepts TLS connections only ({@code hostssl}, as RDS
 * with {@code rds.force_ssl} does), with a certificate from a test authority: {@code initdb} and
 * {@code pg_ctl} from the machine's PostgreSQL, run as the {@code postgres} user when the tests run
 * as root (PostgreSQL refuses to run as root). Trust authentication; user {@code postgres}.
 */
public final class ScratchPostgres implements AutoCloseable {
  private final Path data;
  private final int port;

  private ScratchPostgres(Path data, int port) {
    this.data = data;
    this.port = port;
  }

  /** Creates and starts a cluster on a free loopback port. */
  public static ScratchPostgres startTls(TestCertificates.Server certificate) {
    int port = FreePorts.pick();
    try {
      Path dir =
          Files.createTempDirectory(
              "plinth-pg-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      Path data = dir.resolve("data");
      chownToPostgres(dir);
      run("initdb", "-D", data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8");
      Files.copy(certificate.certificate(), data.resolve("server.crt"));
      Files.copy(certificate.key(), data.resolve("server.key"));
      Files.setPosixFilePermissions(
          data.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
      Files.writeString(
          data.resolve("postgresql.conf"),
          String.join(
              "\n",
              "",
              "port = " + port,
              "listen_addresses = '127.0.0.1'",
              "unix_socket_directories = '" + dir + "'",
              "ssl = on",
              "ssl_cert_file = 'server.crt'",
              "ssl_key_file = 'server.key'",
              "fsync = off",
              ""),
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
      Files.writeString(data.resolve("pg_hba.conf"), "hostssl all all 127.0.0.1/32 trust\n");
      chownToPostgres(dir);
      run("pg_ctl", "-D", data.toString(), "-l", dir.resolve("log").toString(), "-w", "start");
      return new ScratchPostgres(data, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port on 127.0.0.1. */
  public int port() {
    return port;
  }

  @Override
  public void close() {
    run("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void chownToPostgres(Path dir) {
    if (root()) {
      exec(List.of("chown", "-R", "postgres:postgres", dir.toString()));
    }
  }

  private static void run(String... command) {
    List<String> line = new ArrayList<>();
    if (root()) {
      line.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    line.addAll(List.of(command));
    exec(line);
  }

  private static void exec(List<String> command) {
    try {
      // From a directory the postgres user may enter.
      Process process =
          new ProcessBuilder(command)
              .directory(new java.io.File(System.getProperty("java.io.tmpdir")))
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          command.get(0) + " is needed: PostgreSQL's server binaries on the PATH", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
