package dev.plinth.platform.secrets;

import dev.plinth.platform.config.ResolvedEnvironment;
import dev.plinth.platform.config.Secret;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Replaces every known secret value in a piece of text by {@link Secret#REDACTED}: for log lines,
 * error reports, health messages and anything else that shows configuration.
 *
 * <p>Known secrets are the values of the variables that {@link ResolvedEnvironment#isSecret} names
 * (declared by the contract or decrypted by KMS) and of variables whose names say secret ({@code
 * PASSWORD}, {@code SECRET}, {@code TOKEN}, {@code DSN}, {@code PRIVATE}, {@code CREDENTIAL},
 * {@code API_KEY}). Values shorter than {@value #MIN_LENGTH} characters are not replaced: they
 * would shred ordinary text and protect nothing.
 */
@Singleton
public final class SecretRedactor {
  static final int MIN_LENGTH = 4;

  private static final Pattern SECRET_NAME =
      Pattern.compile(".*(PASSWORD|SECRET|TOKEN|DSN|PRIVATE|CREDENTIAL|API_KEY).*");

  private static volatile SecretRedactor processRedactor = new SecretRedactor(Set.of());

  /** Longest first, so that a secret containing another is replaced whole. */
  private final List<String> secrets;

  public SecretRedactor(ResolvedEnvironment env) {
    this(secretValues(env));
  }

  private SecretRedactor(Set<String> secrets) {
    List<String> sorted = new ArrayList<>(secrets);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    this.secrets = List.copyOf(sorted);
  }

  /** A redactor for an explicit set of secret values (tests, commands without a context). */
  public static SecretRedactor of(Set<String> secrets) {
    Set<String> kept = new TreeSet<>();
    secrets.stream().filter(s -> s != null && s.length() >= MIN_LENGTH).forEach(kept::add);
    return new SecretRedactor(kept);
  }

  private static Set<String> secretValues(ResolvedEnvironment env) {
    Set<String> values = new TreeSet<>();
    env.values()
        .forEach(
            (name, value) -> {
              boolean secret =
                  env.isSecret(name)
                      || SECRET_NAME.matcher(name.toUpperCase(Locale.ROOT)).matches();
              if (secret && value != null) {
                String trimmed = value.trim();
                if (trimmed.length() >= MIN_LENGTH) {
                  values.add(trimmed);
                }
              }
            });
    return values;
  }

  /**
   * The redactor of this process's resolved environment, for code that runs outside the bean
   * context (log encoders and converters): set as soon as the environment is resolved, before
   * Micronaut starts. Redacts nothing before that.
   */
  public static SecretRedactor forProcess() {
    return processRedactor;
  }

  /** Makes {@code env}'s secrets the ones {@link #forProcess()} redacts. */
  public static void installForProcess(ResolvedEnvironment env) {
    processRedactor = new SecretRedactor(env);
  }

  /** {@code text} with every known secret value replaced; {@code null} stays {@code null}. */
  public String redact(String text) {
    if (text == null || text.isEmpty() || secrets.isEmpty()) {
      return text;
    }
    String result = text;
    for (String secret : secrets) {
      if (result.contains(secret)) {
        result = result.replace(secret, Secret.REDACTED);
      }
    }
    return result;
  }

  /** Whether {@code text} holds a known secret value. */
  public boolean containsSecret(String text) {
    if (text == null) {
      return false;
    }
    return secrets.stream().anyMatch(text::contains);
  }

  /** How many distinct values are redacted (no values: they are secret). */
  public int size() {
    return secrets.size();
  }
}
