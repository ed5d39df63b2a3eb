package dev.plinth.platform.secrets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code java -cp 'platform-lib.jar:lib/*' dev.plinth.platform.secrets.EncryptCommand KEY_ID}:
 * reads the plaintext from standard input (never from the command line, where {@code ps} and shell
 * history would keep it), prints the base64 KMS ciphertext. One trailing newline of the input is
 * dropped so that {@code echo -n} is not needed. Exit status 0 on success, 2 on bad usage, 1 when
 * KMS refuses.
 */
public final class EncryptCommand {
  private EncryptCommand() {}

  public static void main(String[] args) throws IOException {
    System.exit(run(args, System.getenv(), System.in, System.out, System.err));
  }

  /** The command without the process around it: status code, output on the given streams. */
  public static int run(
      String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err)
      throws IOException {
    String keyId = args.length == 1 ? args[0] : env.get("KMS_KEY_ID");
    if (args.length > 1 || keyId == null || keyId.isBlank()) {
      err.println("usage: EncryptCommand KEY_ID < plaintext   (or set KMS_KEY_ID)");
      return 2;
    }
    String plaintext = stripOneNewline(readAll(in));
    if (plaintext.isEmpty()) {
      err.println("encrypt: nothing to encrypt on standard input");
      return 2;
    }
    try (KmsEncryptor encryptor = KmsEncryptor.forEnvironment(env)) {
      out.println(encryptor.encrypt(keyId, plaintext));
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("encrypt: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      // The SDK's message names the key and the error, never the plaintext.
      err.println("encrypt: KMS refused: " + e.getMessage());
      return 1;
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    in.transferTo(buffer);
    return buffer.toString(StandardCharsets.UTF_8);
  }

  private static String stripOneNewline(String text) {
    if (text.endsWith("\r\n")) {
      return text.substring(0, text.length() - 2);
    }
    return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
  }
}
