package dev.plinth.platform.secrets;

import dev.plinth.platform.config.ResolvedEnvironment;
import dev.plinth.platform.config.SecretResolver;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Replaces every environment value that KMS can decrypt by its plaintext (seed 002: "all
 * environment variables are tested to see if they are base64 encoded, and can be decrypted via AWS
 * KMS; if either step fails, the value is used as is").
 *
 * <p>Only {@linkplain CiphertextCandidates candidates} are sent, each distinct value once, all at
 * once on a bounded pool, under one deadline for the whole batch. A failure never stops start-up:
 * the value is kept and one warning names the variable(s), never the value. {@code AWS_*} variables
 * are left alone (a session token is long base64 and is not ciphertext). Decrypted variables are
 * reported as secrets in {@link ResolvedEnvironment#secretNames()}.
 */
public final class KmsSecretResolver implements SecretResolver {
  /** Whole-batch deadline: a slow or absent KMS delays start-up by at most this. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Concurrent KMS calls at most: enough for every variable of the contract and then some, so that
   * start-up pays one KMS round trip, not one per wave (KMS's own request quotas are in the
   * thousands per second).
   */
  public static final int DEFAULT_CONCURRENCY = 32;

  private static final Logger log = LoggerFactory.getLogger(KmsSecretResolver.class);

  private final Supplier<KmsClient> clients;
  private final Duration timeout;
  private final int concurrency;
  private final String credentialSources;

  KmsSecretResolver(
      Supplier<KmsClient> clients, Duration timeout, int concurrency, String credentialSources) {
    this.clients = clients;
    this.timeout = timeout;
    this.concurrency = concurrency;
    this.credentialSources = credentialSources;
  }

  /**
   * A KMS resolver when {@code env} holds a region ({@code AWS_REGION} or {@code
   * AWS_DEFAULT_REGION}), else empty. The client (and with it the credentials: access keys, {@code
   * AWS_PROFILE}, else the SDK's default chain down to instance metadata) is built only if some
   * value is a candidate, and asked within the one deadline.
   */
  public static Optional<SecretResolver> forEnvironment(Map<String, String> env) {
    return forEnvironment(env, DEFAULT_TIMEOUT, DEFAULT_CONCURRENCY);
  }

  public static Optional<SecretResolver> forEnvironment(
      Map<String, String> env, Duration timeout, int concurrency) {
    return AwsEnvironment.from(env)
        .map(
            aws ->
                new KmsSecretResolver(
                    () -> aws.kmsClient(timeout), timeout, concurrency, aws.credentialSources()));
  }

  @Override
  public ResolvedEnvironment resolve(Map<String, String> rawEnvironment) {
    // Distinct candidate values, each with the variables that hold it (sorted: stable warnings).
    Map<String, Set<String>> variablesByValue = new LinkedHashMap<>();
    Map<String, byte[]> blobs = new HashMap<>();
    new TreeSet<>(rawEnvironment.keySet())
        .forEach(
            name -> {
              String value = rawEnvironment.get(name);
              if (name.startsWith("AWS_") || value == null) {
                return;
              }
              if (!blobs.containsKey(value)) {
                Optional<byte[]> blob = CiphertextCandidates.decode(value);
                if (blob.isEmpty()) {
                  return;
                }
                blobs.put(value, blob.get());
              }
              variablesByValue.computeIfAbsent(value, v -> new TreeSet<>()).add(name);
            });
    if (variablesByValue.isEmpty()) {
      return ResolvedEnvironment.plain(rawEnvironment);
    }
    // The time KMS took: the client's start and every call.
    long started = System.nanoTime();
    Map<String, String> plaintexts = decryptAll(variablesByValue, blobs);
    long ms = (System.nanoTime() - started) / 1_000_000;
    Map<String, String> values = new HashMap<>(rawEnvironment);
    Set<String> secretNames = new HashSet<>();
    plaintexts.forEach(
        (ciphertext, plaintext) ->
            variablesByValue
                .get(ciphertext)
                .forEach(
                    name -> {
                      values.put(name, plaintext);
                      secretNames.add(name);
                    }));
    int candidates = variablesByValue.values().stream().mapToInt(Set::size).sum();
    log.atInfo()
        .addKeyValue("decrypted", secretNames.size())
        .addKeyValue("candidates", candidates)
        .addKeyValue("ms", ms)
        .log(
            "KMS secret resolution done: {} of {} candidate variables decrypted in {} ms",
            secretNames.size(),
            candidates,
            ms);
    return new ResolvedEnvironment(values, secretNames);
  }

  private Map<String, String> decryptAll(
      Map<String, Set<String>> variablesByValue, Map<String, byte[]> blobs) {
    Map<String, String> plaintexts = new HashMap<>();
    KmsClient client;
    try {
      client = clients.get();
    } catch (RuntimeException e) {
      variablesByValue.values().forEach(names -> warn(names, "KMS client could not be built", e));
      return plaintexts;
    }
    int threads = Math.min(concurrency, variablesByValue.size());
    AtomicInteger counter = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            runnable -> {
              Thread thread = new Thread(runnable, "plinth-kms-" + counter.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    try {
      Map<String, Future<String>> pending = new LinkedHashMap<>();
      variablesByValue
          .keySet()
          .forEach(
              value -> pending.put(value, pool.submit(() -> decrypt(client, blobs.get(value)))));
      long deadline = System.nanoTime() + timeout.toNanos();
      List<String> timedOut = new ArrayList<>();
      for (Map.Entry<String, Future<String>> entry : pending.entrySet()) {
        Set<String> names = variablesByValue.get(entry.getKey());
        try {
          long left = Math.max(0, deadline - System.nanoTime());
          plaintexts.put(entry.getKey(), entry.getValue().get(left, TimeUnit.NANOSECONDS));
        } catch (TimeoutException | CancellationException e) {
          entry.getValue().cancel(true);
          timedOut.addAll(names);
        } catch (ExecutionException e) {
          warn(names, "KMS did not decrypt", e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          warn(names, "interrupted while asking KMS", e);
        }
      }
      if (!timedOut.isEmpty()) {
        log.atWarn()
            .addKeyValue("variables", String.join(",", timedOut))
            .log(
                "KMS did not answer within {} ms for {}; values used as given",
                timeout.toMillis(),
                String.join(", ", timedOut));
      }
    } finally {
      pool.shutdownNow();
      client.close();
    }
    return plaintexts;
  }

  private static String decrypt(KmsClient client, byte[] blob) throws CharacterCodingException {
    SdkBytes plaintext =
        client.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(blob))).plaintext();
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(plaintext.asByteArrayUnsafe()))
        .toString();
  }

  /** One warning naming the variables and the kind of failure; never a value or a raw message. */
  private void warn(Set<String> names, String what, Throwable cause) {
    String reason;
    if (cause instanceof SdkClientException
        && String.valueOf(cause.getMessage()).startsWith("Unable to load credentials")) {
      reason = "no credentials from " + credentialSources;
    } else if (cause instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      reason = service.awsErrorDetails().errorCode() + " (HTTP " + service.statusCode() + ")";
    } else if (cause instanceof CharacterCodingException) {
      reason = "plaintext is not UTF-8";
    } else {
      reason = cause.getClass().getSimpleName();
    }
    String variables = String.join(", ", names);
    log.atWarn()
        .addKeyValue("variables", variables)
        .addKeyValue("reason", reason)
        .log("{} {}: {}; value used as given", what, variables, reason);
  }
}
