package dev.plinth.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.appdata.AppdataStore;
import dev.plinth.platform.appdata.LocalDirectoryAppdataStore;
import dev.plinth.platform.testing.InProcessMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request bodies are held to their route's limit (1 MB, and 1 GB on the upload route), and uploads
 * are bounded in number: over HTTP, on raw connections, so nothing in between helps.
 */
class WebRequestLimitsTest {
  private static final int MEGABYTE = 1024 * 1024;

  @TempDir Path dataDir;

  @Test
  void aBodyOverItsRoutesLimitIs413AndOnlyTheUploadRouteTakesLargeOnes() throws Exception {
    try (InProcessMode web =
        InProcessMode.start(
            Application.MODE, Application.class, InProcessMode.localEnvironment(dataDir))) {
      byte[] twoMegabytes = new byte[2 * 1024 * 1024];
      Arrays.fill(twoMegabytes, (byte) 'x');

      String refused = exchange(web.port(), request("POST", "/api/notes", twoMegabytes));
      assertThat(refused).startsWith("HTTP/1.1 413 ");
      assertThat(refused)
          .containsIgnoringCase("Content-Type: application/problem+json")
          .contains("\"status\":413")
          .contains("over this route's limit of 1048576 bytes");

      String uploaded = exchange(web.port(), request("PUT", "/api/files/big.bin", twoMegabytes));
      assertThat(uploaded).startsWith("HTTP/1.1 204 ");
      assertThat(web.get("/api/files?prefix=big").body())
          .contains("\"size\":" + twoMegabytes.length);

      // Without a length, the body is counted as it comes: past the limit the connection ends.
      try (Socket socket = new Socket("127.0.0.1", web.port())) {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(
            ("POST /api/notes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        boolean closed = false;
        try {
          for (int i = 0; i < 64; i++) {
            out.write(
                (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
          }
          closed = socket.getInputStream().read() < 0;
        } catch (IOException e) {
          closed = true;
        }
        assertThat(closed).as("the connection was closed past 1 MB").isTrue();
      }
      assertThat(web.get("/api/notes").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void uploadsBeyondTheConcurrentBoundAre503WithRetryAfter() throws Exception {
    try (InProcessMode web =
        InProcessMode.start(
            Application.MODE,
            Application.class,
            InProcessMode.localEnvironment(dataDir),
            Map.of("plinth.files.max-concurrent-uploads", "2"))) {
      // Two uploads that announce 4 MB and send 1 MB: both are streaming, holding a slot.
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          Socket socket = new Socket("127.0.0.1", web.port());
          socket.setSoTimeout(10_000);
          OutputStream out = socket.getOutputStream();
          out.write(
              ("PUT /api/files/slow-"
                      + i
                      + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
                      + "0123456789")
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          held.add(socket);
        }
        // Both are in the controller, streaming into the store's temp files.
        Path partials =
            ((LocalDirectoryAppdataStore) web.context().getBean(AppdataStore.class))
                .root()
                .resolveSibling("appdata.tmp");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  try (var files = java.nio.file.Files.list(partials)) {
                    return files.count() == 2;
                  }
                });
        String busy = exchange(web.port(), request("PUT", "/api/files/third", new byte[10]));
        assertThat(busy).startsWith("HTTP/1.1 503 ");
        assertThat(busy).containsIgnoringCase("Retry-After: 1").contains("Too many uploads");

        for (Socket socket : held) {
          try {
            socket.getOutputStream().write(new byte[3 * MEGABYTE]);
          } catch (IOException e) {
            // The server may answer and close as the last bytes arrive: read what it said.
          }
          assertThat(readResponse(socket.getInputStream())).startsWith("HTTP/1.1 204 ");
        }
      } finally {
        for (Socket socket : held) {
          socket.close();
        }
      }
      assertThat(exchange(web.port(), request("PUT", "/api/files/fourth", new byte[10])))
          .startsWith("HTTP/1.1 204 ");
    }
  }

  private static byte[] request(String method, String path, byte[] body) {
    byte[] head =
        (method
                + " "
                + path
                + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** Sends a whole request and reads the answer; a server that answers early is fine. */
  private static String exchange(int port, byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
      } catch (IOException e) {
        // Answered and closed before the whole body went out: read what it said.
      }
      return readResponse(socket.getInputStream());
    }
  }

  private static String readResponse(InputStream in) throws IOException {
    StringBuilder text = new StringBuilder();
    byte[] buffer = new byte[8192];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        if (complete(text)) {
          break;
        }
      }
    } catch (IOException e) {
      if (text.isEmpty()) {
        throw e;
      }
    }
    return text.toString();
  }

  // Head read and, when it has a Content-Length, that many bytes after it.
  private static boolean complete(StringBuilder text) {
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    String head = text.substring(0, end).toLowerCase(java.util.Locale.ROOT);
    int at = head.indexOf("content-length:");
    if (at < 0) {
      return false;
    }
    int eol = head.indexOf("\r\n", at);
    long length = Long.parseLong(head.substring(at + 15, eol < 0 ? head.length() : eol).trim());
    return text.length() - end - 4 >= length;
  }
}
