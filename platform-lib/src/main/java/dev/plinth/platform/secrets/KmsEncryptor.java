package dev.plinth.platform.secrets;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Produces the ciphertext an operator puts into a config repository: KMS {@code Encrypt} with a key
 * id, base64 encoded, which {@link KmsSecretResolver} turns back into the plaintext at start-up.
 * The logic behind the {@code encrypt} command (see docs/secrets.md); it has no {@code main}.
 */
public final class KmsEncryptor implements AutoCloseable {
  private final KmsClient client;

  private KmsEncryptor(KmsClient client) {
    this.client = client;
  }

  /**
   * An encryptor on the AWS settings of {@code env} (region, credentials, endpoint variables).
   *
   * @throws IllegalArgumentException when {@code env} has no region or no credentials
   */
  public static KmsEncryptor forEnvironment(Map<String, String> env) {
    AwsEnvironment aws =
        AwsEnvironment.from(env)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "KMS needs AWS_REGION (or AWS_DEFAULT_REGION) and credentials"
                            + " (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, web identity"
                            + " or container credentials)"));
    return new KmsEncryptor(aws.kmsClient(Duration.ofSeconds(30)));
  }

  /** The base64 ciphertext of {@code plaintext} (UTF-8) under {@code keyId} (id, ARN or alias). */
  public String encrypt(String keyId, String plaintext) {
    if (keyId == null || keyId.isBlank()) {
      throw new IllegalArgumentException("a KMS key id, ARN or alias/NAME is required");
    }
    SdkBytes blob =
        client
            .encrypt(
                r ->
                    r.keyId(keyId.trim())
                        .plaintext(SdkBytes.fromString(plaintext, StandardCharsets.UTF_8)))
            .ciphertextBlob();
    return Base64.getEncoder().encodeToString(blob.asByteArrayUnsafe());
  }

  @Override
  public void close() {
    client.close();
  }
}
