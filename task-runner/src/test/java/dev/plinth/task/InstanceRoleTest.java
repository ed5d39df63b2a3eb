package dev.plinth.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.secrets.LocalInstanceMetadata;
import dev.plinth.platform.secrets.LocalKmsServer;
import dev.plinth.platform.testing.PostgresTestDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KMS on an EC2 instance role, as codeontap environments run (seed 002: "no variables are needed to
 * provide credentials"): only {@code AWS_REGION} is set, the credentials come from the instance
 * metadata service (a local stand-in, by {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}), and an
 * encrypted database name must be decrypted for {@code check} to reach the database.
 */
class InstanceRoleTest {
  static LocalKmsServer kms;

  @TempDir Path dataDir;

  @BeforeAll
  static void startKms() throws Exception {
    kms = new LocalKmsServer();
  }

  @AfterAll
  static void stopKms() {
    kms.close();
  }

  private Map<String, String> env(LocalInstanceMetadata imds, PostgresTestDatabase db) {
    Map<String, String> env = TaskProcess.baseEnvironment(dataDir);
    env.putAll(db.environment());
    env.put("DATABASE_NAME", kms.encrypt("alias/plinth", db.name()));
    env.put("AWS_REGION", LocalKmsServer.REGION);
    env.put("AWS_ENDPOINT_URL_KMS", kms.endpoint());
    env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint());
    return env;
  }

  @Test
  void theInstanceRolesCredentialsDecryptTheEnvironment() throws Exception {
    try (LocalInstanceMetadata imds = new LocalInstanceMetadata();
        PostgresTestDatabase db = PostgresTestDatabase.create()) {
      TaskProcess.Result result = TaskProcess.run(env(imds, db), "check");

      assertThat(result.exit()).as(result.toString()).isZero();
      assertThat(result.stdout()).containsPattern("database +ok");
      assertThat(result.all()).contains("1 of 1 candidate variables decrypted");
      assertThat(imds.requests())
          .contains(
              "PUT /latest/api/token",
              "GET /latest/meta-data/iam/security-credentials/" + LocalInstanceMetadata.ROLE);
    }
  }

  @Test
  void withoutARoleTheWarningSaysWhichSourcesWereTried() throws Exception {
    try (LocalInstanceMetadata imds = new LocalInstanceMetadata();
        PostgresTestDatabase db = PostgresTestDatabase.create()) {
      imds.withoutRole();
      TaskProcess.Result result = TaskProcess.run(env(imds, db), "check");

      // The ciphertext stays as given, and the contract refuses it as a database name.
      assertThat(result.exit()).as(result.toString()).isEqualTo(1);
      assertThat(result.all())
          .contains(
              "DATABASE_NAME: no credentials from the SDK's default chain: system properties,"
                  + " environment, web identity, profile file, container credentials, instance"
                  + " metadata")
          .contains("plinth: invalid configuration: DATABASE_NAME: expected a database name");
    }
  }

  @Test
  void withNothingThatCouldBeCiphertextNoCredentialsAreAskedFor() throws Exception {
    try (LocalInstanceMetadata imds = new LocalInstanceMetadata();
        PostgresTestDatabase db = PostgresTestDatabase.create()) {
      Map<String, String> env = env(imds, db);
      env.put("DATABASE_NAME", db.name());
      kms.resetCounters();
      TaskProcess.Result result = TaskProcess.run(env, "check");

      assertThat(result.exit()).as(result.toString()).isZero();
      assertThat(imds.requests()).isEmpty();
      assertThat(kms.decryptCalls()).isZero();
    }
  }
}
