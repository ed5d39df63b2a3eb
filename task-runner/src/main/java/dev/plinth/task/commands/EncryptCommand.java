package dev.plinth.task.commands;

import dev.plinth.platform.boot.ProcessConfiguration;
import dev.plinth.platform.config.ResolvedEnvironment;
import dev.plinth.platform.secrets.KmsEncryptor;
import io.micronaut.context.annotation.Prototype;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code encrypt [KEY_ID] < plaintext}: prints the base64 KMS ciphertext of standard input, for an
 * operator to put in a variable (docs/secrets.md). The plaintext is read from standard input, never
 * from the command line, where {@code ps} and shell history would keep it; one trailing newline is
 * dropped so that {@code echo} needs no {@code -n}. Exit 0, 2 on bad usage, 1 when KMS refuses.
 */
@Prototype
@Command(
    name = "encrypt",
    mixinStandardHelpOptions = true,
    description = "Encrypt standard input with KMS and print the base64 ciphertext.")
public class EncryptCommand implements Callable<Integer>, ContextFreeCommand {
  @Parameters(
      arity = "0..1",
      paramLabel = "KEY_ID",
      description = "A KMS key id, ARN or alias/NAME (default: KMS_KEY_ID).")
  String keyId;

  @Spec CommandSpec spec;

  @Inject ResolvedEnvironment environment;

  /** Where the plaintext comes from: the process's standard input. */
  InputStream input = System.in;

  @Override
  public void use(ProcessConfiguration configuration) {
    this.environment = configuration.environment();
  }

  @Override
  public Integer call() throws IOException {
    var err = spec.commandLine().getErr();
    String key = keyId != null ? keyId : environment.get("KMS_KEY_ID");
    if (key == null || key.isBlank()) {
      err.println("plinth: encrypt: expected KEY_ID or KMS_KEY_ID");
      return 2;
    }
    String plaintext = stripOneNewline(readAll(input));
    if (plaintext.isEmpty()) {
      err.println("plinth: encrypt: nothing to encrypt on standard input");
      return 2;
    }
    try (KmsEncryptor encryptor = KmsEncryptor.forEnvironment(environment.values())) {
      spec.commandLine().getOut().println(encryptor.encrypt(key, plaintext));
      spec.commandLine().getOut().flush();
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("plinth: encrypt: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      // The SDK's message names the key and the error, never the plaintext.
      err.println("plinth: encrypt: KMS refused: " + e.getMessage());
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
