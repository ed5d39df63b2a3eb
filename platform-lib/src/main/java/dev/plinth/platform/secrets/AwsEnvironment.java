package dev.plinth.platform.secrets;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * What the AWS SDK needs to reach KMS, read from a given environment map rather than the process
 * environment (so that tests and commands can supply their own): a region, credentials and an
 * optional endpoint override. KMS is used only when {@link #from} finds both a region and a source
 * of credentials.
 */
record AwsEnvironment(Region region, AwsCredentialsProvider credentials, Optional<URI> endpoint) {

  /** Variables that name a credentials source the SDK resolves itself (profile, IRSA, ECS). */
  private static final String[] DELEGATED_CREDENTIAL_VARIABLES = {
    "AWS_PROFILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI"
  };

  static Optional<AwsEnvironment> from(Map<String, String> env) {
    Optional<String> region = first(env, "AWS_REGION", "AWS_DEFAULT_REGION");
    if (region.isEmpty()) {
      return Optional.empty();
    }
    return credentials(env)
        .map(
            credentials ->
                new AwsEnvironment(
                    Region.of(region.get()),
                    credentials,
                    first(env, "AWS_ENDPOINT_URL_KMS", "AWS_ENDPOINT_URL").map(URI::create)));
  }

  private static Optional<AwsCredentialsProvider> credentials(Map<String, String> env) {
    Optional<String> keyId = first(env, "AWS_ACCESS_KEY_ID");
    Optional<String> secret = first(env, "AWS_SECRET_ACCESS_KEY");
    if (keyId.isPresent() && secret.isPresent()) {
      Optional<String> token = first(env, "AWS_SESSION_TOKEN");
      return Optional.of(
          StaticCredentialsProvider.create(
              token.isPresent()
                  ? AwsSessionCredentials.create(keyId.get(), secret.get(), token.get())
                  : AwsBasicCredentials.create(keyId.get(), secret.get())));
    }
    Optional<String> profile = first(env, "AWS_PROFILE");
    if (profile.isPresent()) {
      return Optional.of(ProfileCredentialsProvider.create(profile.get()));
    }
    for (String variable : DELEGATED_CREDENTIAL_VARIABLES) {
      if (first(env, variable).isPresent()) {
        // Web identity and container credentials: the SDK reads these from the process itself.
        return Optional.of(DefaultCredentialsProvider.builder().build());
      }
    }
    return Optional.empty();
  }

  /**
   * A synchronous client on the JDK's HTTP client: no Netty or Apache pool to start, no retries
   * beyond one (the caller bounds the total time and falls back on failure).
   */
  KmsClient kmsClient(Duration timeout) {
    var builder =
        KmsClient.builder()
            .region(region)
            .credentialsProvider(credentials)
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofMillis(Math.min(2000, timeout.toMillis())))
                    .socketTimeout(timeout)
                    .build())
            .overrideConfiguration(
                o -> o.apiCallTimeout(timeout).retryStrategy(r -> r.maxAttempts(2)));
    endpoint.ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private static Optional<String> first(Map<String, String> env, String... names) {
    for (String name : names) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return Optional.of(value.trim());
      }
    }
    return Optional.empty();
  }
}
