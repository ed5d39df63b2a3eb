package dev.plinth.platform.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.config.ResolvedEnvironment;
import dev.plinth.platform.config.SecretResolver;
import dev.plinth.platform.testing.LogCapture;
import java.io.IOException;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The KMS resolver through the real AWS SDK against a local KMS endpoint. */
class KmsSecretResolverTest {
  private static final String KEY = "alias/plinth-test";

  private static LocalKmsServer kms;
  private LogCapture logs;

  @BeforeAll
  static void startKms() throws IOException {
    kms = new LocalKmsServer();
  }

  @AfterAll
  static void stopKms() {
    kms.close();
  }

  @BeforeEach
  void reset() {
    kms.resetCounters();
    kms.latency(Duration.ZERO);
    kms.failing(false);
    logs = new LogCapture();
  }

  @AfterEach
  void stopCapture() {
    logs.close();
  }

  private static Map<String, String> env(Map<String, String> variables) {
    Map<String, String> env = new HashMap<>(kms.awsEnvironment());
    env.putAll(variables);
    return env;
  }

  private static SecretResolver resolver(Map<String, String> env) {
    return KmsSecretResolver.forEnvironment(env).orElseThrow();
  }

  private static KmsSecretResolver kmsResolver(Map<String, String> env) {
    return (KmsSecretResolver) resolver(env);
  }

  @Test
  void ciphertextResolvesToItsPlaintextAndIsMarkedSecret() {
    String ciphertext = kms.encrypt(KEY, "s3cret-database-password");
    Map<String, String> env = env(Map.of("DATABASE_PASSWORD", ciphertext, "APP_NAME", "demo"));

    ResolvedEnvironment resolved = resolver(env).resolve(env);

    assertThat(resolved.get("DATABASE_PASSWORD")).isEqualTo("s3cret-database-password");
    assertThat(resolved.get("APP_NAME")).isEqualTo("demo");
    assertThat(resolved.secretNames()).containsExactly("DATABASE_PASSWORD");
    assertThat(kms.decryptCalls()).isEqualTo(1);
    assertThat(logs.warnings()).isEmpty();
  }

  @Test
  void valuesThatCannotBeCiphertextAreNotSentToKms() {
    Map<String, String> env =
        env(
            Map.of(
                "PLAIN",
                "hello world",
                "NOT_BASE64",
                "this is definitely not base64 but it is long enough ".repeat(3),
                "SHORT_BASE64",
                "dGVzdA==",
                "RANDOM_KEY",
                randomBase64(32)));

    ResolvedEnvironment resolved = resolver(env).resolve(env);

    assertThat(resolved.values()).isEqualTo(env);
    assertThat(resolved.secretNames()).isEmpty();
    assertThat(kms.decryptCalls()).isZero();
    assertThat(logs.warnings()).isEmpty();
  }

  @Test
  void base64ThatIsNotCiphertextIsKeptWithOneWarning() {
    String notCiphertext = randomBase64(120);
    Map<String, String> env = env(Map.of("APP_TOKEN_SEED", notCiphertext));

    ResolvedEnvironment resolved = resolver(env).resolve(env);

    assertThat(resolved.get("APP_TOKEN_SEED")).isEqualTo(notCiphertext);
    assertThat(resolved.secretNames()).isEmpty();
    assertThat(kms.decryptCalls()).isEqualTo(1);
    assertThat(logs.warnings())
        .singleElement()
        .asString()
        .contains("APP_TOKEN_SEED")
        .contains("InvalidCiphertextException");
    assertNoValueLogged(notCiphertext);
  }

  @Test
  void kmsErrorKeepsValuesWithOneWarningPerVariable() {
    String first = kms.encrypt(KEY, "first-plaintext");
    String second = kms.encrypt(KEY, "second-plaintext");
    kms.failing(true);
    Map<String, String> env = env(Map.of("FIRST", first, "SECOND", second));

    ResolvedEnvironment resolved = resolver(env).resolve(env);

    assertThat(resolved.get("FIRST")).isEqualTo(first);
    assertThat(resolved.get("SECOND")).isEqualTo(second);
    assertThat(resolved.secretNames()).isEmpty();
    List<String> warnings = logs.warnings();
    assertThat(warnings).hasSize(2);
    assertThat(warnings).anyMatch(w -> w.contains("FIRST") && w.contains("KMSInternalException"));
    assertThat(warnings).anyMatch(w -> w.contains("SECOND") && w.contains("KMSInternalException"));
    assertNoValueLogged(first, second, "first-plaintext", "second-plaintext");
  }

  @Test
  void unreachableKmsKeepsTheValue() throws IOException {
    String ciphertext = kms.encrypt(KEY, "never-decrypted");
    Map<String, String> env = env(Map.of("APP_SECRET_KEY", ciphertext));
    env.put("AWS_ENDPOINT_URL_KMS", "http://127.0.0.1:" + closedPort());

    ResolvedEnvironment resolved = resolver(env).resolve(env);

    assertThat(resolved.get("APP_SECRET_KEY")).isEqualTo(ciphertext);
    assertThat(logs.warnings()).singleElement().asString().contains("APP_SECRET_KEY");
    assertNoValueLogged(ciphertext, "never-decrypted");
  }

  @Test
  void slowKmsIsCutOffByTheTimeoutAndTheValueKept() throws IOException {
    // A server of its own: its unanswered call must not count in the other tests' concurrency.
    try (LocalKmsServer slowKms = new LocalKmsServer()) {
      String ciphertext = slowKms.encrypt(KEY, "too-slow");
      slowKms.latency(Duration.ofSeconds(5));
      Map<String, String> env = new HashMap<>(slowKms.awsEnvironment());
      env.put("SLOW", ciphertext);

      ResolvedEnvironment resolved =
          KmsSecretResolver.forEnvironment(env, Duration.ofMillis(300), 4)
              .orElseThrow()
              .resolve(env);

      assertThat(resolved.get("SLOW")).isEqualTo(ciphertext);
      assertThat(logs.warnings()).singleElement().asString().contains("SLOW");
    }
  }

  @Test
  void thirtyEncryptedVariablesAreDecryptedConcurrentlyOncePerDistinctValue() {
    Map<String, String> variables = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      variables.put("SECRET_" + i, kms.encrypt(KEY, "plaintext-" + i));
    }
    variables.put("SAME_AS_SECRET_0", variables.get("SECRET_0"));
    kms.latency(Duration.ofMillis(200));
    Map<String, String> env = env(variables);

    ResolvedEnvironment resolved = resolver(env).resolve(env);

    for (int i = 0; i < 30; i++) {
      assertThat(resolved.get("SECRET_" + i)).isEqualTo("plaintext-" + i);
    }
    assertThat(resolved.get("SAME_AS_SECRET_0")).isEqualTo("plaintext-0");
    assertThat(resolved.secretNames()).hasSize(31);
    assertThat(kms.decryptCalls()).isEqualTo(30);
    assertThat(kms.distinctDecryptedBlobs()).isEqualTo(30);
    // Concurrent, and bounded by the pool.
    assertThat(kms.peakConcurrency())
        .isGreaterThan(1)
        .isLessThanOrEqualTo(KmsSecretResolver.DEFAULT_CONCURRENCY);
    assertNoValueLogged(variables.values().toArray(String[]::new));
    for (int i = 0; i < 30; i++) {
      assertNoValueLogged("plaintext-" + i);
    }
  }

  @Test
  void malformedEndpointKeepsTheValueWithOneWarning() {
    String ciphertext = kms.encrypt(KEY, "never-decrypted");
    Map<String, String> env = env(Map.of("APP_SECRET_KEY", ciphertext));
    env.put("AWS_ENDPOINT_URL_KMS", "http://not a valid uri");

    ResolvedEnvironment resolved = resolver(env).resolve(env);

    assertThat(resolved.get("APP_SECRET_KEY")).isEqualTo(ciphertext);
    assertThat(logs.warnings())
        .singleElement()
        .asString()
        .contains("APP_SECRET_KEY")
        .contains("KMS client could not be built");
    assertNoValueLogged(ciphertext, "never-decrypted");
  }

  @Test
  void accessKeysNeverShowInTheSettingsText() {
    Map<String, String> env =
        Map.of(
            "AWS_REGION", "eu-west-1",
            "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI-secret-access-key",
            "AWS_SESSION_TOKEN", "session-token-value");

    String shown = AwsEnvironment.from(env).orElseThrow().toString();

    assertThat(shown).contains("AKIDEXAMPLE", "eu-west-1");
    assertThat(shown).doesNotContain("wJalrXUtnFEMI-secret-access-key", "session-token-value");
  }

  @Test
  void awsVariablesAreNeverSentToKms() {
    Map<String, String> env = env(Map.of("AWS_SESSION_TOKEN", randomBase64(300)));

    ResolvedEnvironment resolved = resolver(env).resolve(env);

    assertThat(resolved.values()).isEqualTo(env);
    assertThat(kms.decryptCalls()).isZero();
  }

  @Test
  void kmsIsUsedWheneverARegionIsSet() {
    assertThat(KmsSecretResolver.forEnvironment(Map.of())).isEmpty();
    assertThat(
            KmsSecretResolver.forEnvironment(
                Map.of("AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "secret-key")))
        .as("credentials without a region")
        .isEmpty();
    // No credential variable: the SDK's default chain (an instance role; InstanceRoleTest).
    assertThat(KmsSecretResolver.forEnvironment(Map.of("AWS_REGION", "eu-west-1")))
        .as("a region without credential variables")
        .isPresent();
    assertThat(
            KmsSecretResolver.forEnvironment(
                Map.of(
                    "AWS_DEFAULT_REGION", "eu-west-1",
                    "AWS_ACCESS_KEY_ID", "AKID",
                    "AWS_SECRET_ACCESS_KEY", "secret-key")))
        .isPresent();
    assertThat(
            KmsSecretResolver.forEnvironment(
                Map.of("AWS_REGION", "eu-west-1", "AWS_PROFILE", "operations")))
        .isPresent();
  }

  private void assertNoValueLogged(String... values) {
    List<String> lines = logs.lines();
    for (String value : values) {
      assertThat(lines).noneMatch(line -> line.contains(value));
    }
  }

  static String randomBase64(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return Base64.getEncoder().encodeToString(random);
  }

  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
