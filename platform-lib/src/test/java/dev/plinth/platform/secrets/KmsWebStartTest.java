package dev.plinth.platform.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.config.PlinthSettings;
import dev.plinth.platform.config.ResolvedEnvironment;
import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.LogCapture;
import dev.plinth.platform.testing.TestModes;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WEB process whose secrets are KMS ciphertext starts on their plaintexts, and shows none of them
 * anywhere: logs, management endpoints, public endpoints.
 */
class KmsWebStartTest {
  @TempDir Path dataDir;

  private InProcessMode startWeb(Map<String, String> variables, Map<String, Object> properties) {
    return InProcessMode.startPlatform(TestModes.WEB, dataDir, variables, properties);
  }

  private static final String KEY = "alias/plinth-web";
  private static final String SECRET_KEY = "web-secret-key-from-kms-0123456789";
  private static final String CUSTOM_SECRET = "custom-api-token-from-kms";
  private static final String MANAGEMENT_TOKEN = "management-token-0123456789";

  @Test
  void webStartsOnDecryptedSecretsAndShowsNoneOfThem() throws IOException {
    try (LocalKmsServer kms = new LocalKmsServer();
        LogCapture logs = new LogCapture()) {
      String secretKeyCiphertext = kms.encrypt(KEY, SECRET_KEY);
      String customCiphertext = kms.encrypt(KEY, CUSTOM_SECRET);
      Map<String, String> env = new HashMap<>(kms.awsEnvironment());
      env.put("APP_SECRET_KEY", secretKeyCiphertext);
      env.put("PARTNER_API_CREDENTIAL", customCiphertext);
      env.put("APP_NAME", "kms-web");
      env.put("APP_MANAGEMENT_ENDPOINTS", "env,loggers,routes");
      env.put("APP_MANAGEMENT_TOKEN", MANAGEMENT_TOKEN);

      try (InProcessMode web = startWeb(env, Map.of())) {
        PlinthSettings settings = web.context().getBean(PlinthSettings.class);
        assertThat(settings.secretKey().reveal()).isEqualTo(SECRET_KEY);
        assertThat(settings.appName()).isEqualTo("kms-web");
        ResolvedEnvironment resolved = web.context().getBean(ResolvedEnvironment.class);
        assertThat(resolved.secretNames())
            .containsExactlyInAnyOrder("APP_SECRET_KEY", "PARTNER_API_CREDENTIAL");
        // Any variable Micronaut reads went through the resolver too.
        assertThat(web.context().getProperty("partner.api.credential", String.class))
            .contains(CUSTOM_SECRET);
        SecretRedactor redactor = web.context().getBean(SecretRedactor.class);
        assertThat(redactor.redact("key=" + SECRET_KEY + " token=" + CUSTOM_SECRET))
            .isEqualTo("key=******** token=********");

        List<String> shown = new java.util.ArrayList<>();
        for (String path : List.of("/env", "/health", "/loggers", "/info", "/beans", "/routes")) {
          HttpResponse<String> response =
              web.get(
                  web.managementPort(),
                  path,
                  Map.of("Authorization", "Bearer " + MANAGEMENT_TOKEN));
          shown.add(path + " " + response.statusCode() + " " + response.body());
        }
        assertThat(shown.get(0)).startsWith("/env 200");
        HttpResponse<String> heartbeat = web.get("/__heartbeat__");
        shown.add("/__heartbeat__ " + heartbeat.statusCode() + " " + heartbeat.body());
        for (String text : shown) {
          assertThat(text)
              .doesNotContain(SECRET_KEY)
              .doesNotContain(CUSTOM_SECRET)
              .doesNotContain(MANAGEMENT_TOKEN);
        }
      }
      for (String line : logs.lines()) {
        assertThat(line)
            .doesNotContain(SECRET_KEY)
            .doesNotContain(CUSTOM_SECRET)
            .doesNotContain(secretKeyCiphertext)
            .doesNotContain(customCiphertext);
      }
      assertThat(kms.decryptCalls()).isEqualTo(2);
    }
  }
}
