import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The AWS SDK's own floor for bench/kms-startup.sh, with no Plinth code: a JVM that builds one
 * KmsClient the way KmsSecretResolver does (explicit region, endpoint override, static credentials,
 * the url-connection HTTP client) and decrypts one ciphertext, against the same JVM that exits at
 * once. The difference is what any use of the SDK costs a cold start here.
 *
 * <p>Usage: {@code java -cp DIR:LIB/* KmsClientFloor none|sdk [ENDPOINT CIPHER_ENV_FILE]}; prints
 * the process's CPU time in milliseconds as it ends (a process this short ends before a poller of
 * /proc reliably sees it).
 */
public final class KmsClientFloor {
  public static void main(String[] args) throws Exception {
    if (args[0].equals("sdk")) {
      // The first line of the stand-in's file: NAME=base64-ciphertext.
      List<String> lines = Files.readAllLines(Path.of(args[2]));
      String blob = lines.get(0).substring(lines.get(0).indexOf('=') + 1);
      var credentials =
          AwsBasicCredentials.create(
              System.getenv("AWS_ACCESS_KEY_ID"), System.getenv("AWS_SECRET_ACCESS_KEY"));
      try (KmsClient kms =
          KmsClient.builder()
              .region(Region.of(System.getenv("AWS_REGION")))
              .endpointOverride(URI.create(args[1]))
              .credentialsProvider(StaticCredentialsProvider.create(credentials))
              .httpClient(UrlConnectionHttpClient.create())
              .build()) {
        kms.decrypt(
            r -> r.ciphertextBlob(SdkBytes.fromByteArray(Base64.getDecoder().decode(blob))));
      }
    }
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.out.println(os.getProcessCpuTime() / 1_000_000);
  }
}
