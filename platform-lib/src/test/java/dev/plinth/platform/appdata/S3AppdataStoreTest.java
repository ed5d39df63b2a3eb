package dev.plinth.platform.appdata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.testing.InProcessS3;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** S3 ({@code APPDATA_BUCKET}) through the real SDK against s3proxy in this JVM. */
class S3AppdataStoreTest extends AppdataStoreContract {
  static final String BUCKET = "plinth-appdata";
  static final String PREFIX = "tenant-a/files";

  InProcessS3 s3;

  @Override
  Map<String, String> backendEnvironment(Path dataDir) throws Exception {
    s3 = InProcessS3.start(Files.createDirectories(dataDir.resolve("s3proxy")), BUCKET);
    return s3.environment(BUCKET, PREFIX);
  }

  @Override
  Class<? extends AppdataStore> expectedStore() {
    return S3AppdataStore.class;
  }

  @AfterAll
  void stopS3() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void theClientIsMicronautAwsOnesSetUpFromTheResolvedEnvironment() {
    S3Client client = context.getBean(S3Client.class);
    assertThat(client.serviceClientConfiguration().endpointOverride()).contains(s3.endpoint());
    assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.US_EAST_1);
    // One client, micronaut-aws's bean, and the HTTP client that streams upload parts.
    assertThat(context.getBeansOfType(S3Client.class)).hasSize(1);
    assertThat(context.getBean(SdkHttpClient.class)).isInstanceOf(Apache5HttpClient.class);
  }

  @Test
  void everyObjectLivesUnderTheConfiguredPrefix() throws Exception {
    store.put(AppdataKey.of("prefix-check/one.txt"), text("1"), 1);

    try (S3Client raw = rawClient()) {
      assertThat(raw.listObjectsV2(b -> b.bucket(BUCKET)).contents())
          .extracting(S3Object::key)
          .contains("tenant-a/files/prefix-check/one.txt")
          .filteredOn(key -> !key.endsWith("/"))
          .allMatch(key -> key.startsWith("tenant-a/files/"));
      // An object outside the prefix is invisible to the store.
      raw.putObject(
          b -> b.bucket(BUCKET).key("elsewhere/secret.txt"),
          software.amazon.awssdk.core.sync.RequestBody.fromString("no"));
    }
    assertThat(store.list("", null, 1000).entries())
        .extracting(entry -> entry.key().value())
        .noneMatch(key -> key.contains("secret"));
  }

  @Test
  void aPresignedUrlServesTheObjectWithoutCredentials() throws Exception {
    AppdataKey key = AppdataKey.of("presigned/hello.txt");
    store.put(key, text("signed hello"), 12);

    URI url = store.presignedGetUrl(key, Duration.ofMinutes(5)).orElseThrow();
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(url.getPath()).isEqualTo("/" + BUCKET + "/tenant-a/files/presigned/hello.txt");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("signed hello");
  }

  private S3Client rawClient() {
    return S3Client.builder()
        .endpointOverride(s3.endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(InProcessS3.ACCESS_KEY, InProcessS3.SECRET_KEY)))
        .build();
  }
}
