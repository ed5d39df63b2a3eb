package dev.plinth.platform.boot;

import dev.plinth.platform.config.ResolvedEnvironment;
import dev.plinth.platform.config.SecretResolver;
import dev.plinth.platform.secrets.KmsSecretResolver;
import dev.plinth.platform.secrets.SecretRedactor;
import java.util.Map;

/**
 * Chooses the secret resolver for an environment: KMS when a region is set (credentials from the
 * environment or the SDK's default chain), else values as given. Whatever it resolves becomes what
 * the process's log redaction hides ({@link SecretRedactor#forProcess()}), before anything else
 * logs.
 */
final class SecretResolvers {
  private SecretResolvers() {}

  static SecretResolver forEnvironment(Map<String, String> rawEnvironment) {
    SecretResolver chosen =
        KmsSecretResolver.forEnvironment(rawEnvironment).orElse(SecretResolver.PLAIN);
    return raw -> {
      ResolvedEnvironment env = chosen.resolve(raw);
      SecretRedactor.installForProcess(env);
      return env;
    };
  }
}
