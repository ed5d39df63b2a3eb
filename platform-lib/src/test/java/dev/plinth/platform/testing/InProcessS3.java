package dev.plinth.platform.testing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.awaitility.Awaitility;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3-compatible server in this JVM (s3proxy on a filesystem blobstore in a temp directory), on a
 * free loopback port, with AWS signature checks on. Tests reach it through the real AWS SDK with
 * the variables of {@link #environment}, as a service reaches MinIO or S3.
 */
public final class InProcessS3 implements AutoCloseable {
  public static final String ACCESS_KEY = "plinth-test";
  public static final String SECRET_KEY = "plinth-test-secret-key";

  private final S3Proxy proxy;
  private final BlobStoreContext blobs;

  private InProcessS3(S3Proxy proxy, BlobStoreContext blobs) {
    this.proxy = proxy;
    this.blobs = blobs;
  }

  /** Starts a server storing under {@code directory}, with {@code buckets} created. */
  public static InProcessS3 start(Path directory, String... buckets) {
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", directory.toAbsolutePath().toString());
    BlobStoreContext blobs =
        ContextBuilder.newBuilder("filesystem").overrides(properties).build(BlobStoreContext.class);
    for (String bucket : buckets) {
      blobs.getBlobStore().createContainerInLocation(null, bucket);
    }
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(blobs.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    try {
      proxy.start();
    } catch (Exception e) {
      blobs.close();
      throw new IllegalStateException("s3proxy did not start", e);
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "STARTED".equals(proxy.getState()));
    return new InProcessS3(proxy, blobs);
  }

  /**
   * By host name, not address: the SDK falls back to path-style addressing for an IP address by
   * itself, so only a name shows that the client was set up for path style.
   */
  public URI endpoint() {
    return URI.create("http://localhost:" + proxy.getPort());
  }

  /**
   * The variables that point a service's appdata at this server: endpoint, credentials, and the
   * SDK's checksum setting that s3proxy needs ({@code when_required}).
   */
  public Map<String, String> environment(String bucket, String prefix) {
    Map<String, String> env = new HashMap<>();
    env.put("APPDATA_BUCKET", bucket);
    env.put("APPDATA_PREFIX", prefix);
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ENDPOINT_URL_S3", endpoint().toString());
    env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    env.put("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required");
    env.put("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
    return env;
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("s3proxy did not stop", e);
    } finally {
      blobs.close();
    }
  }
}
