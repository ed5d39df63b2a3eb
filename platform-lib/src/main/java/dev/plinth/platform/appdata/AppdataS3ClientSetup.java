package dev.plinth.platform.appdata;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.config.ResolvedEnvironment;
import io.micronaut.aws.sdk.v2.service.s3.S3ConfigurationProperties;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Sets up micronaut-aws-sdk-v2's S3 client builder with the SDK's own variables, read from the
 * resolved environment (so KMS-decrypted values and a test's environment apply, which the SDK's
 * reading of the process environment would miss): {@code AWS_ENDPOINT_URL_S3} / {@code
 * AWS_ENDPOINT_URL}, {@code AWS_REQUEST_CHECKSUM_CALCULATION} and {@code
 * AWS_RESPONSE_CHECKSUM_VALIDATION} (set both to {@code when_required} for S3-compatible servers
 * that refuse the SDK's default integrity checksums; real S3 keeps the defaults). With an endpoint
 * override, path-style addressing is the default (MinIO, s3proxy, LocalStack); {@code
 * plinth.appdata.s3.path-style} decides otherwise.
 */
@Singleton
@Requires(property = PlinthProperties.APPDATA_S3_BUCKET)
final class AppdataS3ClientSetup implements BeanCreatedEventListener<S3ClientBuilder> {
  private final ResolvedEnvironment env;
  private final S3ConfigurationProperties s3Properties;
  private final Optional<Boolean> pathStyle;

  AppdataS3ClientSetup(
      ResolvedEnvironment env,
      S3ConfigurationProperties s3Properties,
      // Not @Value("${...:}"): an empty default converts to false, which would turn the
      // endpoint's path style off.
      @Nullable @Property(name = PlinthProperties.APPDATA_S3_PATH_STYLE) Boolean pathStyle) {
    this.env = env;
    this.s3Properties = s3Properties;
    this.pathStyle = Optional.ofNullable(pathStyle);
  }

  @Override
  public S3ClientBuilder onCreated(BeanCreatedEvent<S3ClientBuilder> event) {
    S3ClientBuilder builder = event.getBean();
    Optional<URI> endpoint = endpoint();
    endpoint.ifPresent(builder::endpointOverride);
    builder.serviceConfiguration(serviceConfiguration());
    first("AWS_REQUEST_CHECKSUM_CALCULATION")
        .map(v -> RequestChecksumCalculation.fromValue(v.toUpperCase(Locale.ROOT)))
        .ifPresent(builder::requestChecksumCalculation);
    first("AWS_RESPONSE_CHECKSUM_VALIDATION")
        .map(v -> ResponseChecksumValidation.fromValue(v.toUpperCase(Locale.ROOT)))
        .ifPresent(builder::responseChecksumValidation);
    return builder;
  }

  /** The endpoint the client and the presigner talk to, when it is not AWS's own. */
  Optional<URI> endpoint() {
    return first("AWS_ENDPOINT_URL_S3").or(() -> first("AWS_ENDPOINT_URL")).map(URI::create);
  }

  /** {@code aws.s3.*} as micronaut-aws binds it, with appdata's addressing style. */
  S3Configuration serviceConfiguration() {
    S3Configuration.Builder configuration = s3Properties.getBuilder().build().toBuilder();
    if (pathStyle.isPresent() || endpoint().isPresent()) {
      configuration.pathStyleAccessEnabled(pathStyle.orElse(true));
    }
    return configuration.build();
  }

  private Optional<String> first(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }
}
