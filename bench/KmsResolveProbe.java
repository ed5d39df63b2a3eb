// In-process companion of bench/kms-startup.sh: the resolver's time for 30 ciphertexts, cold
// (first KmsClient of the JVM) and then warm at 0 ms and 50 ms KMS latency, with the peak
// concurrency the local KMS observed. Run after `./mvnw -pl platform-lib -am package -DskipTests`:
//   CP=platform-lib/target/classes:platform-lib/target/test-classes:$(cd platform-lib && \
//     ../mvnw -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
//   java -cp "$CP" bench/KmsResolveProbe.java
import dev.plinth.platform.secrets.KmsSecretResolver;
import dev.plinth.platform.secrets.LocalKmsServer;
import java.time.Duration;
import java.util.*;

public class KmsResolveProbe {
  public static void main(String[] a) throws Exception {
    try (LocalKmsServer kms = new LocalKmsServer()) {
      Map<String, String> env = new HashMap<>(kms.awsEnvironment());
      for (int i = 0; i < 30; i++) env.put("S_" + i, kms.encrypt("k", "p-" + i));
      long t0 = System.nanoTime();
      KmsSecretResolver.forEnvironment(env).get().resolve(env);
      System.out.println("cold 30 @0ms: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      for (int round = 0; round < 3; round++) {
        for (int latency : new int[] {0, 50}) {
          kms.latency(Duration.ofMillis(latency));
          kms.resetCounters();
          t0 = System.nanoTime();
          KmsSecretResolver.forEnvironment(env).get().resolve(env);
          System.out.println(
              "warm 30 @"
                  + latency
                  + "ms: "
                  + (System.nanoTime() - t0) / 1_000_000
                  + " ms, peak concurrency "
                  + kms.peakConcurrency());
        }
      }
    }
  }
}
