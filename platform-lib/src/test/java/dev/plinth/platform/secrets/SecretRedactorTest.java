package dev.plinth.platform.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.plinth.platform.config.ResolvedEnvironment;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SecretRedactorTest {
  private static final ResolvedEnvironment ENV =
      new ResolvedEnvironment(
          Map.of(
              "DATABASE_PASSWORD", "db-pass-123",
              "PARTNER_ENDPOINT", "decrypted-by-kms-value",
              "STRIPE_API_KEY", "sk_live_abcdef",
              "APP_NAME", "plinth-demo",
              "RABBITMQ_PASSWORD", "abc"),
          Set.of("PARTNER_ENDPOINT"));

  @AfterEach
  void resetProcessRedactor() {
    SecretRedactor.installForProcess(ResolvedEnvironment.plain(Map.of()));
  }

  @Test
  void redactsContractDecryptedAndSecretNamedValuesOnly() {
    SecretRedactor redactor = new SecretRedactor(ENV);

    assertThat(
            redactor.redact(
                "db-pass-123 decrypted-by-kms-value sk_live_abcdef plinth-demo abc cabbage"))
        .isEqualTo("******** ******** ******** plinth-demo abc cabbage");
    assertThat(redactor.containsSecret("jdbc:postgresql://u:db-pass-123@h/db")).isTrue();
    assertThat(redactor.containsSecret("plinth-demo")).isFalse();
    assertThat(redactor.size()).isEqualTo(3);
    assertThat(redactor.redact(null)).isNull();
  }

  @Test
  void longerSecretsAreReplacedWhole() {
    SecretRedactor redactor = SecretRedactor.of(Set.of("token", "token-with-suffix"));

    assertThat(redactor.redact("a token-with-suffix b token")).isEqualTo("a ******** b ********");
  }

  @Test
  void theShippedConsoleLayoutRedactsMessagesAndStackTraces() {
    SecretRedactor.installForProcess(ENV);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    OutputStreamAppender<?> console = (OutputStreamAppender<?>) root.getAppender("STDOUT");
    PatternLayoutEncoder encoder = (PatternLayoutEncoder) console.getEncoder();

    LoggingEvent event =
        new LoggingEvent(
            Logger.class.getName(),
            context.getLogger("test"),
            Level.ERROR,
            "connecting with {}",
            new IllegalStateException("refused: db-pass-123"),
            new Object[] {"sk_live_abcdef"});
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

    assertThat(line)
        .contains("connecting with ********")
        .contains("IllegalStateException: refused: ********")
        .doesNotContain("db-pass-123")
        .doesNotContain("sk_live_abcdef");
  }
}
