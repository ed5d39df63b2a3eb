package dev.plinth.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The files API as a client uses it, for each appdata backend. */
final class FilesOverHttp {
  private FilesOverHttp() {}

  static void roundTripAndRefuseBadKeys(WebVisitor visitor, int port) {
    byte[] body = new byte[3 * 1024 * 1024 + 17];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (i % 251);
    }
    HttpResponse<String> put =
        visitor.send(
            port,
            HttpRequest.newBuilder()
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)),
            "/api/files/reports/2026/summary.txt");
    assertThat(put.statusCode()).isEqualTo(204);

    HttpResponse<byte[]> got = getBytes(port, "/api/files/reports/2026/summary.txt");
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.body()).isEqualTo(body);
    assertThat(got.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename*=UTF-8''summary.txt");
    assertThat(visitor.get(port, "/api/files?prefix=reports/").body())
        .contains("\"key\":\"reports/2026/summary.txt\"", "\"size\":" + body.length);
    assertThat(visitor.get(port, "/api/files/reports/missing.txt").statusCode()).isEqualTo(404);
    // A key that names a folder of keys is no file: 404, not a 200 cut short.
    HttpResponse<String> folder = visitor.get(port, "/api/files/reports/2026");
    assertThat(folder.statusCode()).isEqualTo(404);
    assertThat(folder.headers().firstValue("Content-Type")).hasValue("application/problem+json");

    for (String bad :
        new String[] {
          "/api/files/..%2F..%2Fsecret",
          "/api/files/reports/..%2F..%2F..%2Fetc%2Fpasswd",
          "/api/files/%2Fetc%2Fpasswd",
          "/api/files/" + "k".repeat(1100),
          "/api/files/reports/" + "s".repeat(256),
          "/api/files?prefix=..%2F"
        }) {
      HttpResponse<String> refused = visitor.get(port, bad);
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(refused.body()).as(bad).contains("an appdata key must");
    }
    HttpResponse<String> refusedPut =
        visitor.send(
            port,
            HttpRequest.newBuilder().PUT(HttpRequest.BodyPublishers.ofString("x")),
            "/api/files/..%2Fescape.txt");
    assertThat(refusedPut.statusCode()).isEqualTo(400);

    assertThat(
            visitor
                .send(
                    port, HttpRequest.newBuilder().DELETE(), "/api/files/reports/2026/summary.txt")
                .statusCode())
        .isEqualTo(204);
    assertThat(visitor.get(port, "/api/files/reports/2026/summary.txt").statusCode())
        .isEqualTo(404);
    // Put it back for the caller's own checks.
    visitor.send(
        port,
        HttpRequest.newBuilder().PUT(HttpRequest.BodyPublishers.ofByteArray(body)),
        "/api/files/reports/2026/summary.txt");
  }

  private static HttpResponse<byte[]> getBytes(int port, String path) {
    try {
      return java.net.http.HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
