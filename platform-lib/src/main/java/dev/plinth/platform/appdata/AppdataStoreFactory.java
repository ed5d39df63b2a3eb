package dev.plinth.platform.appdata;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.config.ResolvedEnvironment;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.convert.format.ReadableBytes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Chooses the appdata backend: S3 when {@code APPDATA_BUCKET} is set, the local directory
 * otherwise. The S3 client is built from the resolved environment (so KMS-decrypted values and test
 * environments apply) and honours the SDK's standard variables: {@code AWS_ENDPOINT_URL_S3} /
 * {@code AWS_ENDPOINT_URL}, {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} / {@code
 * AWS_SESSION_TOKEN}, {@code AWS_REQUEST_CHECKSUM_CALCULATION} and {@code
 * AWS_RESPONSE_CHECKSUM_VALIDATION} (set both to {@code when_required} for S3-compatible servers
 * that refuse the SDK's default integrity checksums; real S3 keeps the defaults).
 */
@Factory
public class AppdataStoreFactory {

  @Singleton
  @Bean(preDestroy = "close")
  @Requires(property = PlinthProperties.APPDATA_S3_BUCKET)
  S3AppdataStore s3AppdataStore(
      ResolvedEnvironment env,
      @Value("${" + PlinthProperties.APPDATA_S3_BUCKET + "}") String bucket,
      @Value("${plinth.appdata.s3.prefix:}") String prefix,
      @Value("${plinth.appdata.s3.region:us-east-1}") String region,
      @Value("${plinth.appdata.s3.path-style:}") Optional<Boolean> pathStyle,
      @Value("${plinth.appdata.s3.part-size:8MB}") @ReadableBytes int partSize) {
    Optional<URI> endpoint = first(env, "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL").map(URI::create);
    // Path-style addressing by default when an endpoint is overridden (MinIO, s3proxy, LocalStack).
    S3Configuration s3Configuration =
        S3Configuration.builder()
            .pathStyleAccessEnabled(pathStyle.orElse(endpoint.isPresent()))
            .build();
    AwsCredentialsProvider credentials = credentials(env);
    Region awsRegion = Region.of(region);

    S3ClientBuilder client =
        S3Client.builder()
            .region(awsRegion)
            .credentialsProvider(credentials)
            .serviceConfiguration(s3Configuration)
            .httpClientBuilder(
                Apache5HttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(5))
                    .socketTimeout(Duration.ofSeconds(60)));
    first(env, "AWS_REQUEST_CHECKSUM_CALCULATION")
        .map(v -> RequestChecksumCalculation.fromValue(v.toUpperCase(Locale.ROOT)))
        .ifPresent(client::requestChecksumCalculation);
    first(env, "AWS_RESPONSE_CHECKSUM_VALIDATION")
        .map(v -> ResponseChecksumValidation.fromValue(v.toUpperCase(Locale.ROOT)))
        .ifPresent(client::responseChecksumValidation);
    endpoint.ifPresent(client::endpointOverride);

    S3Presigner.Builder presigner =
        S3Presigner.builder()
            .region(awsRegion)
            .credentialsProvider(credentials)
            .serviceConfiguration(s3Configuration);
    endpoint.ifPresent(presigner::endpointOverride);

    return new S3AppdataStore(client.build(), presigner.build(), bucket, prefix, partSize);
  }

  @Singleton
  @Requires(missingProperty = PlinthProperties.APPDATA_S3_BUCKET)
  LocalDirectoryAppdataStore localAppdataStore(
      @Value("${plinth.appdata.local-directory:data/appdata}") String directory)
      throws IOException {
    return new LocalDirectoryAppdataStore(Path.of(directory));
  }

  private static AwsCredentialsProvider credentials(ResolvedEnvironment env) {
    Optional<String> id = first(env, "AWS_ACCESS_KEY_ID");
    Optional<String> secret = first(env, "AWS_SECRET_ACCESS_KEY");
    if (id.isEmpty() || secret.isEmpty()) {
      // Instance profiles, web identity, SSO, ~/.aws: the SDK's own chain.
      return DefaultCredentialsProvider.builder().build();
    }
    Optional<String> token = first(env, "AWS_SESSION_TOKEN");
    return StaticCredentialsProvider.create(
        token.isPresent()
            ? AwsSessionCredentials.create(id.get(), secret.get(), token.get())
            : AwsBasicCredentials.create(id.get(), secret.get()));
  }

  private static Optional<String> first(ResolvedEnvironment env, String... names) {
    for (String name : names) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return Optional.of(value.trim());
      }
    }
    return Optional.empty();
  }
}
