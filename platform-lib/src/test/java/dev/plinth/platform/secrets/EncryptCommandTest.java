package dev.plinth.platform.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.config.ResolvedEnvironment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator's encrypt command, end to end with the resolver, against the local KMS. */
class EncryptCommandTest {
  private static LocalKmsServer kms;

  @BeforeAll
  static void startKms() throws IOException {
    kms = new LocalKmsServer();
  }

  @AfterAll
  static void stopKms() {
    kms.close();
  }

  @Test
  void ciphertextFromTheCommandResolvesToThePlaintext() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status =
        EncryptCommand.run(
            new String[] {"alias/plinth"},
            kms.awsEnvironment(),
            new ByteArrayInputStream("p@ss word ü\n".getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(status).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    String ciphertext = out.toString(StandardCharsets.UTF_8).trim();
    assertThat(CiphertextCandidates.decode(ciphertext)).isPresent();
    Map<String, String> env = new HashMap<>(kms.awsEnvironment());
    env.put("DATABASE_PASSWORD", ciphertext);
    ResolvedEnvironment resolved = KmsSecretResolver.forEnvironment(env).orElseThrow().resolve(env);
    assertThat(resolved.get("DATABASE_PASSWORD")).isEqualTo("p@ss word ü");
  }

  @Test
  void badUsageAndMissingAwsSettingsAreClearErrors() throws IOException {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    assertThat(EncryptCommand.run(new String[] {}, Map.of(), stdin("x"), out, errors)).isEqualTo(2);
    assertThat(EncryptCommand.run(new String[] {"k"}, Map.of(), stdin("x"), out, errors))
        .isEqualTo(2);
    assertThat(EncryptCommand.run(new String[] {"k"}, kms.awsEnvironment(), stdin(""), out, errors))
        .isEqualTo(2);

    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("usage: EncryptCommand KEY_ID")
        .contains("KMS needs AWS_REGION")
        .contains("nothing to encrypt");
  }

  @Test
  void runsAsAProcessReadingStandardInput() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            EncryptCommand.class.getName(),
            "alias/plinth");
    builder.environment().putAll(kms.awsEnvironment());
    Process process = builder.start();
    process.getOutputStream().write("from-a-pipe".getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.exitValue()).as(err).isZero();
    Map<String, String> env = new HashMap<>(kms.awsEnvironment());
    env.put("X", out.trim());
    assertThat(KmsSecretResolver.forEnvironment(env).orElseThrow().resolve(env).get("X"))
        .isEqualTo("from-a-pipe");
    assertThat(out + err).doesNotContain("from-a-pipe");
  }

  private static ByteArrayInputStream stdin(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
