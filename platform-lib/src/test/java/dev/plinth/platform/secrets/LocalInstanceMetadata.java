package dev.plinth.platform.secrets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An EC2 instance metadata service (IMDSv2) on a loopback port, handing out the instance role's
 * temporary credentials as the real one does: a session token from {@code PUT /latest/api/token},
 * then the role's name and its credentials under {@code
 * /latest/meta-data/iam/security-credentials/}, each read with that token. The AWS SDK is pointed
 * at it by {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}. The access key is {@link
 * LocalKmsServer#ACCESS_KEY_ID}, the one the local KMS accepts.
 */
public final class LocalInstanceMetadata implements AutoCloseable {
  public static final String ROLE = "plinth-instance-role";
  private static final String TOKEN = "imds-session-token";
  private static final String CREDENTIALS = "/latest/meta-data/iam/security-credentials/";

  private final HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile boolean withoutRole;

  public LocalInstanceMetadata() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The value for {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** An instance without a role: the credentials paths answer 404, as on EC2. */
  public void withoutRole() {
    withoutRole = true;
  }

  /** Every request as {@code METHOD path}, in order. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    requests.add(method + " " + path);
    if ("PUT".equals(method) && "/latest/api/token".equals(path)) {
      answer(exchange, 200, TOKEN);
    } else if (!TOKEN.equals(exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token"))) {
      answer(exchange, 401, "");
    } else if (withoutRole || !path.startsWith(CREDENTIALS)) {
      answer(exchange, 404, "");
    } else if (path.equals(CREDENTIALS)) {
      answer(exchange, 200, ROLE);
    } else if (path.equals(CREDENTIALS + ROLE)) {
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      answer(
          exchange,
          200,
          "{\"Code\":\"Success\",\"LastUpdated\":\""
              + now
              + "\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\""
              + LocalKmsServer.ACCESS_KEY_ID
              + "\",\"SecretAccessKey\":\""
              + LocalKmsServer.SECRET_ACCESS_KEY
              + "\",\"Token\":\"instance-role-session-token\",\"Expiration\":\""
              + now.plus(6, ChronoUnit.HOURS)
              + "\"}");
    } else {
      answer(exchange, 404, "");
    }
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
