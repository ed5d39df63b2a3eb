package dev.plinth.platform.secrets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A KMS stand-in speaking the KMS JSON protocol ({@code X-Amz-Target: TrentService.Encrypt} /
 * {@code TrentService.Decrypt}, {@code application/x-amz-json-1.1}) over the JDK's HTTP server,
 * with a real cipher: AES-256-GCM under a random key per key id. Its ciphertext blob is {@code
 * "PLKMS1" | key ARN length (2 bytes) | key ARN | IV (12) | ciphertext and tag}, authenticated with
 * the key ARN as associated data, so a blob that was not made here fails like it does on KMS
 * ({@code InvalidCiphertextException}). It can add latency and fail on demand, and counts what it
 * sees (calls, distinct blobs, peak concurrency).
 *
 * <p>{@code main} runs it standalone for bench/kms-startup.sh: {@code LocalKmsServer PORT
 * LATENCY_MS ENV_FILE COUNT} writes {@code COUNT} lines {@code BENCH_SECRET_i=<ciphertext>} to
 * {@code ENV_FILE}, then serves until killed.
 */
public final class LocalKmsServer implements AutoCloseable {
  public static final String REGION = "eu-west-1";
  public static final String ACCESS_KEY_ID = "AKIDPLINTHTEST";
  public static final String SECRET_ACCESS_KEY = "plinth-test-secret-access-key";

  private static final byte[] MAGIC = "PLKMS1".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*\"([^\"]*)\"");

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(daemon());
  private final ScheduledExecutorService delays = Executors.newScheduledThreadPool(64, daemon());
  private final SecureRandom random = new SecureRandom();
  private final Map<String, SecretKey> keys = new ConcurrentHashMap<>();
  private final Set<String> decryptedBlobs = ConcurrentHashMap.newKeySet();
  private final AtomicInteger decryptCalls = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();
  private volatile Duration latency = Duration.ZERO;
  private volatile boolean failing;

  public LocalKmsServer() throws IOException {
    this(0);
  }

  public LocalKmsServer(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public static void main(String[] args) throws Exception {
    LocalKmsServer kms = new LocalKmsServer(Integer.parseInt(args[0]));
    kms.latency(Duration.ofMillis(Long.parseLong(args[1])));
    StringBuilder env = new StringBuilder();
    for (int i = 0; i < Integer.parseInt(args[3]); i++) {
      env.append("BENCH_SECRET_")
          .append(i)
          .append('=')
          .append(kms.encrypt("alias/bench", "bench-plaintext-" + i))
          .append('\n');
    }
    java.nio.file.Files.writeString(java.nio.file.Path.of(args[2]), env);
    System.out.println("local KMS on " + kms.endpoint());
    Thread.currentThread().join();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The variables that point the AWS SDK at this server. */
  public Map<String, String> awsEnvironment() {
    return Map.of(
        "AWS_REGION", REGION,
        "AWS_ACCESS_KEY_ID", ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY,
        "AWS_ENDPOINT_URL_KMS", endpoint());
  }

  public void latency(Duration latency) {
    this.latency = latency;
  }

  /** Every call answers {@code KMSInternalException} (HTTP 500) while on. */
  public void failing(boolean failing) {
    this.failing = failing;
  }

  public int decryptCalls() {
    return decryptCalls.get();
  }

  public int distinctDecryptedBlobs() {
    return decryptedBlobs.size();
  }

  public int peakConcurrency() {
    return peakInFlight.get();
  }

  public void resetCounters() {
    decryptCalls.set(0);
    decryptedBlobs.clear();
    peakInFlight.set(0);
  }

  /** Encrypts in-process (same format as the Encrypt call), for building test environments. */
  public String encrypt(String keyId, String plaintext) {
    return Base64.getEncoder()
        .encodeToString(seal(arn(keyId), plaintext.getBytes(StandardCharsets.UTF_8)));
  }

  private void handle(HttpExchange exchange) throws IOException {
    int now = inFlight.incrementAndGet();
    peakInFlight.accumulateAndGet(now, Math::max);
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    // The injected latency of a remote KMS: the answer is scheduled, no thread sleeps.
    delays.schedule(() -> respond(exchange, body), latency.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void respond(HttpExchange exchange, String body) {
    // Counted as in flight from arrival until its answer starts (the client may send its next
    // request as soon as it reads this answer).
    inFlight.decrementAndGet();
    try {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.contains("Credential=" + ACCESS_KEY_ID + "/")) {
        error(exchange, 400, "UnrecognizedClientException", "The security token is invalid.");
      } else if (failing) {
        error(exchange, 500, "KMSInternalException", "injected failure");
      } else if ("TrentService.Encrypt".equals(target)) {
        Map<String, String> fields = fields(body);
        String arn = arn(fields.get("KeyId"));
        byte[] blob = seal(arn, Base64.getDecoder().decode(fields.get("Plaintext")));
        answer(
            exchange,
            "{\"CiphertextBlob\":\""
                + Base64.getEncoder().encodeToString(blob)
                + "\",\"KeyId\":\""
                + arn
                + "\",\"EncryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}");
      } else if ("TrentService.Decrypt".equals(target)) {
        decryptCalls.incrementAndGet();
        String blob = fields(body).get("CiphertextBlob");
        decryptedBlobs.add(blob);
        decrypt(exchange, Base64.getDecoder().decode(blob));
      } else {
        error(exchange, 400, "UnknownOperationException", "unsupported operation");
      }
    } catch (IOException | RuntimeException e) {
      // The client sees a reset connection, as with a broken KMS endpoint.
    } finally {
      exchange.close();
    }
  }

  private void decrypt(HttpExchange exchange, byte[] blob) throws IOException {
    try {
      ByteBuffer in = ByteBuffer.wrap(blob);
      byte[] magic = new byte[MAGIC.length];
      in.get(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new GeneralSecurityException("not a blob of this server");
      }
      byte[] arnBytes = new byte[in.getShort()];
      in.get(arnBytes);
      String arn = new String(arnBytes, StandardCharsets.UTF_8);
      SecretKey key = keys.get(arn);
      if (key == null) {
        throw new GeneralSecurityException("unknown key");
      }
      byte[] iv = new byte[12];
      in.get(iv);
      byte[] sealed = new byte[in.remaining()];
      in.get(sealed);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, iv));
      cipher.updateAAD(arnBytes);
      byte[] plaintext = cipher.doFinal(sealed);
      answer(
          exchange,
          "{\"KeyId\":\""
              + arn
              + "\",\"Plaintext\":\""
              + Base64.getEncoder().encodeToString(plaintext)
              + "\",\"EncryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}");
    } catch (GeneralSecurityException | RuntimeException e) {
      error(exchange, 400, "InvalidCiphertextException", null);
    }
  }

  private byte[] seal(String arn, byte[] plaintext) {
    try {
      SecretKey key =
          keys.computeIfAbsent(
              arn,
              k -> {
                byte[] material = new byte[32];
                random.nextBytes(material);
                return new SecretKeySpec(material, "AES");
              });
      byte[] iv = new byte[12];
      random.nextBytes(iv);
      byte[] arnBytes = arn.getBytes(StandardCharsets.UTF_8);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
      cipher.updateAAD(arnBytes);
      byte[] sealed = cipher.doFinal(plaintext);
      return ByteBuffer.allocate(MAGIC.length + 2 + arnBytes.length + iv.length + sealed.length)
          .put(MAGIC)
          .putShort((short) arnBytes.length)
          .put(arnBytes)
          .put(iv)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Key ids, aliases and ARNs all name one key (as far as this stand-in cares). */
  private static String arn(String keyId) {
    if (keyId.startsWith("arn:")) {
      return keyId;
    }
    return "arn:aws:kms:"
        + REGION
        + ":111122223333:key/"
        + UUID.nameUUIDFromBytes(keyId.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> fields(String json) {
    Map<String, String> fields = new ConcurrentHashMap<>();
    Matcher matcher = FIELD.matcher(json);
    while (matcher.find()) {
      fields.put(matcher.group(1), matcher.group(2));
    }
    return fields;
  }

  private static void answer(HttpExchange exchange, String json) throws IOException {
    send(exchange, 200, json);
  }

  private static void error(HttpExchange exchange, int status, String type, String message)
      throws IOException {
    send(
        exchange,
        status,
        "{\"__type\":\""
            + type
            + "\""
            + (message == null ? "" : ",\"message\":\"" + message + "\"")
            + "}");
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return runnable -> {
      Thread thread = new Thread(runnable, "local-kms");
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public void close() {
    server.stop(0);
    delays.shutdownNow();
    executor.shutdownNow();
  }
}
