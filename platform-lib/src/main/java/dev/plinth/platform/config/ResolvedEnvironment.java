package dev.plinth.platform.config;

import java.util.Map;
import java.util.Set;

/**
 * The process environment after secret resolution: every value as the service will use it, and the
 * names of the variables whose values must be treated as secrets (declared secret by the contract,
 * or decrypted by a {@link SecretResolver}).
 */
public record ResolvedEnvironment(Map<String, String> values, Set<String> secretNames) {
  public ResolvedEnvironment {
    values = Map.copyOf(values);
    secretNames = Set.copyOf(secretNames);
  }

  public static ResolvedEnvironment plain(Map<String, String> values) {
    return new ResolvedEnvironment(values, Set.of());
  }

  public String get(String name) {
    return values.get(name);
  }

  public boolean isSecret(String name) {
    return secretNames.contains(name) || EnvironmentContract.SECRET_VARIABLES.contains(name);
  }
}
