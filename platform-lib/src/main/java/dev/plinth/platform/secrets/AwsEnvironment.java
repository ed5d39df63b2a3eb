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
 * optional endpoint override. KMS is used whenever {@link #from} finds a region: access keys or a
 * profile named in the environment are used as given, anything else is the SDK's default chain,
 * which ends with the instance role of an EC2 host (instance metadata; {@code
 * AWS_EC2_METADATA_SERVICE_ENDPOINT} points it elsewhere), the role codeontap environments run
 * under with no credential variable at all.
 *
 * <p>Holds plain strings: deciding whether KMS may be used loads no AWS SDK class. The SDK's
 * region, credentials provider and client are built by {@link #kmsClient}, only when some value is
 * worth a call.
 */
record AwsEnvironment(
    String region, Optional<StaticKeys> keys, Optional<String> profile, Optional<String> endpoint) {

  /** Access keys given in the environment (with a session token for temporary credentials). */
  record StaticKeys(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
    @Override
    public String toString() {
      return "StaticKeys[" + accessKeyId + ", ********]";
    }
  }

  /** The sources the SDK's default chain tries, in its order: what a failure warning names. */
  static final String DEFAULT_CHAIN =
      "the SDK's default chain: system properties, environment, web identity, profile file,"
          + " container credentials, instance metadata";

  static Optional<AwsEnvironment> from(Map<String, String> env) {
    Optional<String> region = first(env, "AWS_REGION", "AWS_DEFAULT_REGION");
    if (region.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> endpoint = first(env, "AWS_ENDPOINT_URL_KMS", "AWS_ENDPOINT_URL");
    Optional<String> keyId = first(env, "AWS_ACCESS_KEY_ID");
    Optional<String> secret = first(env, "AWS_SECRET_ACCESS_KEY");
    if (keyId.isPresent() && secret.isPresent()) {
      StaticKeys keys = new StaticKeys(keyId.get(), secret.get(), first(env, "AWS_SESSION_TOKEN"));
      return Optional.of(
          new AwsEnvironment(region.get(), Optional.of(keys), Optional.empty(), endpoint));
    }
    return Optional.of(
        new AwsEnvironment(region.get(), Optional.empty(), first(env, "AWS_PROFILE"), endpoint));
  }

  /** Where credentials come from, in words for a warning; never a credential. */
  String credentialSources() {
    if (keys.isPresent()) {
      return "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
    }
    return profile.map(p -> "profile " + p).orElse(DEFAULT_CHAIN);
  }

  /**
   * The credentials provider: the given keys as they are, else the named profile, else the SDK's
   * default chain (web identity, container credentials, instance metadata). With keys in the
   * environment nothing is probed: no profile file, no instance metadata.
   */
  AwsCredentialsProvider credentialsProvider() {
    if (keys.isPresent()) {
      StaticKeys k = keys.get();
      return StaticCredentialsProvider.create(
          k.sessionToken().isPresent()
              ? AwsSessionCredentials.create(
                  k.accessKeyId(), k.secretAccessKey(), k.sessionToken().get())
              : AwsBasicCredentials.create(k.accessKeyId(), k.secretAccessKey()));
    }
    if (profile.isPresent()) {
      return ProfileCredentialsProvider.create(profile.get());
    }
    return DefaultCredentialsProvider.builder().build();
  }

  /**
   * A synchronous client on the JDK's HTTP client: no Netty or Apache pool to start, no retries
   * beyond one (the caller bounds the total time and falls back on failure). Region and credentials
   * are explicit, so the SDK runs no region or credentials provider chain. Built here rather than
   * by micronaut-aws-sdk-v2: KMS decrypts the environment before the context that would hold the
   * client exists.
   */
  KmsClient kmsClient(Duration timeout) {
    var builder =
        KmsClient.builder()
            .region(Region.of(region))
            .credentialsProvider(credentialsProvider())
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofMillis(Math.min(2000, timeout.toMillis())))
                    .socketTimeout(timeout)
                    .build())
            .overrideConfiguration(
                o -> o.apiCallTimeout(timeout).retryStrategy(r -> r.maxAttempts(2)));
    endpoint.map(URI::create).ifPresent(builder::endpointOverride);
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
