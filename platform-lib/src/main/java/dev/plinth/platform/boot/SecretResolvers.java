package dev.plinth.platform.boot;

import dev.plinth.platform.config.SecretResolver;
import dev.plinth.platform.secrets.KmsSecretResolver;
import java.util.Map;

/**
 * Chooses the secret resolver for an environment: KMS when AWS credentials and a region are
 * present, else values as given.
 */
final class SecretResolvers {
  private SecretResolvers() {}

  static SecretResolver forEnvironment(Map<String, String> rawEnvironment) {
    return KmsSecretResolver.forEnvironment(rawEnvironment).orElse(SecretResolver.PLAIN);
  }
}
