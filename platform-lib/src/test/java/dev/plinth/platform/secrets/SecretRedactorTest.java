package dev.plinth.platform.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.plinth.platform.config.ResolvedEnvironment;
import dev.plinth.platform.dockerflow.CheckMessage;
import dev.plinth.platform.dockerflow.CheckResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
  void heartbeatMessagesShowNoSecret() {
    SecretRedactor.installForProcess(ENV);

    CheckResult result =
        CheckResult.of(
            "database",
            List.of(CheckMessage.error("plinth.database.E001", "login failed with db-pass-123")));

    assertThat(result.messages())
        .singleElement()
        .extracting(CheckMessage::text)
        .isEqualTo("login failed with ********");
  }

  @Test
  void longerSecretsAreReplacedWhole() {
    SecretRedactor redactor = SecretRedactor.of(Set.of("token", "token-with-suffix"));

    assertThat(redactor.redact("a token-with-suffix b token")).isEqualTo("a ******** b ********");
  }

  @Test
  void theShippedMozlogEncoderRedactsMessagesAndStackTraces() {
    SecretRedactor.installForProcess(ENV);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Encoder<ILoggingEvent> encoder = shippedEncoder();

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
        .contains("\"msg\":\"connecting with ********\"")
        .contains("\"error\":\"java.lang.IllegalStateException: refused: ********\"")
        .doesNotContain("db-pass-123")
        .doesNotContain("sk_live_abcdef");
  }

  @Test
  void theShippedMozlogEncoderRedactsKeyValueFieldsAndMdcValues() {
    SecretRedactor.installForProcess(ENV);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LoggingEvent event =
        new LoggingEvent(
            Logger.class.getName(), context.getLogger("test"), Level.INFO, "request", null, null);
    event.addKeyValuePair(new org.slf4j.event.KeyValuePair("agent", "curl db-pass-123"));
    event.addKeyValuePair(
        new org.slf4j.event.KeyValuePair("nested", Map.of("dsn", "u:sk_live_abcdef@h")));
    event.addKeyValuePair(new org.slf4j.event.KeyValuePair("list", List.of("db-pass-123")));
    event.setMDCPropertyMap(Map.of("querystring", "token=decrypted-by-kms-value"));
    String line = new String(shippedEncoder().encode(event), StandardCharsets.UTF_8);

    assertThat(line)
        .contains("\"agent\":\"curl ********\"")
        .contains("\"querystring\":\"token=********\"")
        .doesNotContain("db-pass-123")
        .doesNotContain("sk_live_abcdef")
        .doesNotContain("decrypted-by-kms-value");
  }

  /** The encoder of the process's mozlog appender, as PlinthLogbackConfigurator installed it. */
  private static Encoder<ILoggingEvent> shippedEncoder() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    @SuppressWarnings("unchecked")
    OutputStreamAppender<ILoggingEvent> console =
        (OutputStreamAppender<ILoggingEvent>) root.getAppender("mozlog");
    return console.getEncoder();
  }
}
