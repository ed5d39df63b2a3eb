package dev.plinth.platform.secrets;

import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which values are worth a KMS call. A value is a candidate when it is standard base64 (padded, no
 * whitespace inside) and decodes to at least {@value #MIN_CIPHERTEXT_BYTES} bytes. KMS ciphertext
 * blobs carry a key reference, an IV and an authentication tag besides the data, so even a one-byte
 * secret encrypts to well over a hundred bytes; shorter base64-looking values ("true", "guest", a
 * 32-byte random key) are never sent to KMS.
 */
final class CiphertextCandidates {
  static final int MIN_CIPHERTEXT_BYTES = 64;

  private static final Pattern BASE64 =
      Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");

  private CiphertextCandidates() {}

  /** The decoded blob when {@code value} can be KMS ciphertext, else empty. */
  static Optional<byte[]> decode(String value) {
    String trimmed = value.trim();
    // Cheap length check first: 64 bytes need at least 88 base64 characters.
    if (trimmed.length() < (MIN_CIPHERTEXT_BYTES + 2) / 3 * 4
        || !BASE64.matcher(trimmed).matches()) {
      return Optional.empty();
    }
    byte[] decoded = Base64.getDecoder().decode(trimmed);
    return decoded.length >= MIN_CIPHERTEXT_BYTES ? Optional.of(decoded) : Optional.empty();
  }
}
