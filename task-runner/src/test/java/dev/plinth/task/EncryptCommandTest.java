package dev.plinth.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.secrets.KmsSecretResolver;
import dev.plinth.platform.secrets.LocalKmsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code encrypt}, TASK's subcommand for operators, as a process against the local KMS. */
class EncryptCommandTest {
  private static LocalKmsServer kms;

  @TempDir Path dataDir;

  @BeforeAll
  static void startKms() throws Exception {
    kms = new LocalKmsServer();
  }

  @AfterAll
  static void stopKms() {
    kms.close();
  }

  private Map<String, String> env(Map<String, String> aws) {
    Map<String, String> env = TaskProcess.baseEnvironment(dataDir);
    env.putAll(aws);
    return env;
  }

  @Test
  void ciphertextFromStandardInputResolvesToThePlaintextAndNeverEchoesIt() throws Exception {
    TaskProcess.Result result =
        TaskProcess.runWithInput(
            env(kms.awsEnvironment()),
            "p@ss word ü\n".getBytes(StandardCharsets.UTF_8),
            "encrypt",
            "alias/plinth");

    assertThat(result.exit()).as(result.toString()).isZero();
    String ciphertext = result.stdout().strip().lines().reduce((a, b) -> b).orElseThrow();
    Map<String, String> resolve = new HashMap<>(kms.awsEnvironment());
    resolve.put("DATABASE_PASSWORD", ciphertext);
    assertThat(
            KmsSecretResolver.forEnvironment(resolve)
                .orElseThrow()
                .resolve(resolve)
                .get("DATABASE_PASSWORD"))
        .isEqualTo("p@ss word ü");
    assertThat(result.all()).doesNotContain("p@ss word");
  }

  @Test
  void badUsageAndMissingAwsSettingsAreOneLineErrors() throws Exception {
    TaskProcess.Result noKey =
        TaskProcess.runWithInput(env(Map.of()), "x".getBytes(StandardCharsets.UTF_8), "encrypt");
    assertThat(noKey.exit()).as(noKey.toString()).isEqualTo(2);
    assertThat(noKey.stderr()).contains("plinth: encrypt: expected KEY_ID or KMS_KEY_ID");

    TaskProcess.Result noAws =
        TaskProcess.runWithInput(
            env(Map.of()), "x".getBytes(StandardCharsets.UTF_8), "encrypt", "k");
    assertThat(noAws.exit()).as(noAws.toString()).isEqualTo(2);
    assertThat(noAws.stderr()).contains("KMS needs AWS_REGION");

    TaskProcess.Result nothing =
        TaskProcess.runWithInput(env(kms.awsEnvironment()), new byte[0], "encrypt", "k");
    assertThat(nothing.exit()).as(nothing.toString()).isEqualTo(2);
    assertThat(nothing.stderr()).contains("plinth: encrypt: nothing to encrypt on standard input");
  }
}
