package dev.plinth.platform.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.config.ResolvedEnvironment;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretResolversTest {
  @Test
  void withoutAwsSettingsValuesAreUsedAsGiven() {
    Map<String, String> env = Map.of("APP_NAME", "demo", "APP_SECRET_KEY", "k".repeat(120));

    ResolvedEnvironment resolved = SecretResolvers.forEnvironment(env).resolve(env);

    assertThat(resolved.values()).isEqualTo(env);
    assertThat(resolved.secretNames()).isEmpty();
  }
}
