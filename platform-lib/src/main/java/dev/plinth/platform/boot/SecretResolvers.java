package dev.plinth.platform.boot;

import dev.plinth.platform.config.ResolvedEnvironment;
import dev.plinth.platform.config.SecretResolver;
import dev.plinth.platform.secrets.KmsSecretResolver;
import dev.plinth.platform.secrets.SecretRedactor;
import io.micronaut.core.io.service.MicronautMetaServiceLoaderUtils;
import io.micronaut.inject.BeanDefinitionReference;
import java.util.Map;

/**
 * Chooses the secret resolver for an environment: KMS when AWS credentials and a region are
 * present, else values as given. Whatever it resolves becomes what the process's log redaction
 * hides ({@link SecretRedactor#forProcess()}), before anything else logs.
 *
 * <p>While KMS is asked, the calling thread loads Micronaut's bean definitions (the biggest share
 * of the class loading its context start does, and none of it reads configuration), so the AWS
 * SDK's cold start and the KMS round trip overlap it instead of adding to it.
 */
final class SecretResolvers {
  private SecretResolvers() {}

  static SecretResolver forEnvironment(Map<String, String> rawEnvironment) {
    SecretResolver chosen =
        KmsSecretResolver.forEnvironment(rawEnvironment).orElse(SecretResolver.PLAIN);
    return raw -> {
      ResolvedEnvironment env =
          chosen instanceof KmsSecretResolver kms
              ? kms.resolve(raw, SecretResolvers::loadBeanDefinitions)
              : chosen.resolve(raw);
      SecretRedactor.installForProcess(env);
      return env;
    };
  }

  /**
   * Loads and initialises the classes of every bean definition on the class path, as the context
   * start will (Micronaut keeps the scan; the start then finds the classes ready). Reads no
   * configuration and creates no bean.
   */
  static void loadBeanDefinitions() {
    MicronautMetaServiceLoaderUtils.findMetaMicronautServiceEntries(
        SecretResolvers.class.getClassLoader(), BeanDefinitionReference.class, ref -> true);
  }
}
