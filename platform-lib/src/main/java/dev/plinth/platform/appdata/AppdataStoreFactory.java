package dev.plinth.platform.appdata;

import dev.plinth.platform.config.PlinthProperties;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.convert.format.ReadableBytes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Chooses the appdata backend: S3 when {@code APPDATA_BUCKET} is set, the local directory
 * otherwise. The S3 client is micronaut-aws-sdk-v2's: credentials and region come through its
 * chains from the resolved environment ({@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} /
 * {@code AWS_SESSION_TOKEN}, {@code AWS_REGION}, then the SDK's own: profiles, container and
 * instance roles, web identity); {@link AppdataS3ClientSetup} adds the endpoint and checksum
 * variables. The presigner, which micronaut-aws does not provide, shares its credentials, region,
 * endpoint and addressing.
 */
@Factory
public class AppdataStoreFactory {

  /**
   * The HTTP client of micronaut-aws's clients where appdata is in S3: Apache 5 streams request
   * bodies of known length, where the url-connection client (on the class path for KMS) would
   * buffer each upload part whole.
   */
  @Singleton
  @Primary
  @Bean(preDestroy = "close")
  @Requires(property = PlinthProperties.APPDATA_S3_BUCKET)
  SdkHttpClient appdataHttpClient() {
    return Apache5HttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(5))
        .socketTimeout(Duration.ofSeconds(60))
        .build();
  }

  @Singleton
  @Bean(preDestroy = "close")
  @Requires(property = PlinthProperties.APPDATA_S3_BUCKET)
  S3AppdataStore s3AppdataStore(
      S3Client s3,
      AppdataS3ClientSetup setup,
      AwsCredentialsProviderChain credentials,
      @Value("${" + PlinthProperties.APPDATA_S3_BUCKET + "}") String bucket,
      @Value("${" + PlinthProperties.APPDATA_S3_PREFIX + ":}") String prefix,
      @Value("${" + PlinthProperties.APPDATA_S3_PART_SIZE + ":8MB}") @ReadableBytes int partSize) {
    S3Presigner.Builder presigner =
        S3Presigner.builder()
            .region(s3.serviceClientConfiguration().region())
            .credentialsProvider(credentials)
            .serviceConfiguration(setup.serviceConfiguration());
    setup.endpoint().ifPresent(presigner::endpointOverride);
    return new S3AppdataStore(s3, presigner.build(), bucket, prefix, partSize);
  }

  @Singleton
  @Requires(missingProperty = PlinthProperties.APPDATA_S3_BUCKET)
  LocalDirectoryAppdataStore localAppdataStore(
      @Value("${" + PlinthProperties.APPDATA_LOCAL_DIRECTORY + ":data/appdata}") String directory)
      throws IOException {
    return new LocalDirectoryAppdataStore(Path.of(directory));
  }
}
