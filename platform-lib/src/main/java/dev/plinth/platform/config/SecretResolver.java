package dev.plinth.platform.config;

import java.util.Map;

/**
 * Sees every raw environment value before any bean reads it, and may replace values (for example by
 * decrypting KMS ciphertext). A resolver never fails start-up: a value it cannot resolve is kept as
 * given.
 */
@FunctionalInterface
public interface SecretResolver {
  /** Values used exactly as given: the embedded default when no AWS credentials are present. */
  SecretResolver PLAIN = ResolvedEnvironment::plain;

  ResolvedEnvironment resolve(Map<String, String> rawEnvironment);
}
