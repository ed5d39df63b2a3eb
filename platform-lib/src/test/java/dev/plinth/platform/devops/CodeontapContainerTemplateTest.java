package dev.plinth.platform.devops;

import static org.assertj.core.api.Assertions.assertThat;

import freemarker.cache.ClassTemplateLoader;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateModelException;
import freemarker.template.utility.DeepUnwrap;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Renders devops/codeontap/container_{containerid}.ftl with FreeMarker, as the codeontap/hamlet
 * engine does (fragments concatenated into one {@code [#switch]} on the container id), against a
 * sample model and stand-ins for the engine's macros (src/test/resources/codeontap).
 */
class CodeontapContainerTemplateTest {
  private static final Path FRAGMENT =
      Path.of("..", "devops", "codeontap", "container_{containerid}.ftl");
  private static final String SECRET_KEY_CIPHERTEXT = "AQICAHhsecretkeyciphertext==";
  private static final String DB_PASSWORD_CIPHERTEXT = "AQICAHhdbpasswordciphertext==";

  @ParameterizedTest
  @CsvSource({
    "plinth, WEB",
    "plinth-web, WEB",
    "plinth-worker, WORKER",
    "plinth-beat, BEAT",
    "plinth-task, TASK"
  })
  void everyModeGetsItsEnvironmentSecretsPoliciesAndHealthCheck(String containerId, String mode)
      throws Exception {
    Map<String, Object> container = render(containerId, mode);

    assertThat(container).containsEntry("Image", "plinth");
    @SuppressWarnings("unchecked")
    Map<String, Object> env = (Map<String, Object>) container.get("Environment");
    assertThat(env)
        .containsEntry("APP_RUN_MODE", mode)
        .containsEntry("PORT", "8000")
        .containsEntry("APP_DEBUG", "false")
        .containsEntry("AWS_REGION", "ap-southeast-2")
        .containsEntry("APPDATA_BUCKET", "appdata-bucket")
        .containsEntry("APPDATA_PREFIX", "appdata/plinth/")
        .containsEntry("DATABASE_HOST", "db.internal")
        .containsEntry("RABBITMQ_HOST", "mq.internal")
        .containsEntry("SENTRY_DSN", "https://key@sentry.example/1")
        // Secrets pass through as the credential store's KMS ciphertext; Plinth decrypts them.
        .containsEntry("APP_SECRET_KEY", SECRET_KEY_CIPHERTEXT)
        .containsEntry("DATABASE_USERNAME", "plinth")
        .containsEntry("DATABASE_PASSWORD", DB_PASSWORD_CIPHERTEXT)
        .containsEntry("RABBITMQ_PASSWORD", "AQICAHhmqpasswordciphertext==")
        .doesNotContainKey("UNLISTED_SETTING");
    if (mode.equals("TASK")) {
      assertThat(env).containsEntry("APP_TASK_LIST", "migrate; check");
      assertThat(container).doesNotContainKey("HealthCheck");
    } else {
      assertThat(env).doesNotContainKey("APP_TASK_LIST");
      assertThat(container.get("HealthCheck").toString()).contains("/__lbheartbeat__");
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> policy = (List<Map<String, Object>>) container.get("Policy");
    assertThat(policy)
        .anySatisfy(
            statement -> {
              assertThat(statement.get("Action")).isEqualTo(List.of("kms:Decrypt"));
              assertThat(statement.get("Resource")).isEqualTo("ref:cmkXsegmentXcmk");
            })
        .anySatisfy(
            statement ->
                assertThat(statement.get("Resource"))
                    .isEqualTo("arn:aws:s3:::appdata-bucket/appdata/plinth/*"));
  }

  @Test
  void anotherContainerIdIsNotMatched() throws Exception {
    assertThat(render("other-web", "WEB")).containsOnlyKeys("Mode");
  }

  private static Map<String, Object> render(String containerId, String mode)
      throws IOException, TemplateModelException, freemarker.template.TemplateException {
    Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
    cfg.setTagSyntax(Configuration.SQUARE_BRACKET_TAG_SYNTAX);
    cfg.setTemplateLoader(new ClassTemplateLoader(CodeontapContainerTemplateTest.class, "/"));
    // What an operator does: copy the fragment and replace {containerid} with the solution's id.
    String fragment = Files.readString(FRAGMENT).replace("{containerid}", "plinth");
    String harness =
        // The engine keeps the container's context in the template namespace.
        "[#ftl][#include \"/codeontap/hamlet-stubs.ftl\"][#assign context = engineContext]"
            + "[#switch containerId]"
            + fragment
            + "[/#switch]";
    Template template = new Template("container_plinth.ftl", new StringReader(harness), cfg);
    Map<String, Object> model =
        Map.of(
            "containerId",
            containerId,
            "containerListMode",
            "model",
            "engineContext",
            Map.of("Mode", mode),
            "regionId",
            "ap-southeast-2",
            "dataBucket",
            "appdata-bucket",
            "appDataPrefix",
            "appdata/plinth/",
            "appSettingsObject",
            Map.of(
                "DATABASE_HOST", "db.internal",
                "RABBITMQ_HOST", "mq.internal",
                "SENTRY_DSN", "https://key@sentry.example/1",
                "APP_TASK_LIST", "migrate; check",
                "UNLISTED_SETTING", "not passed"),
            "credentialsObject",
            Map.of(
                "plinth",
                Map.of(
                    "App", Map.of("SecretKey", SECRET_KEY_CIPHERTEXT),
                    "Database", Map.of("Username", "plinth", "Password", DB_PASSWORD_CIPHERTEXT),
                    "RabbitMQ",
                        Map.of(
                            "Username", "plinth", "Password", "AQICAHhmqpasswordciphertext=="))));
    freemarker.core.Environment environment =
        template.createProcessingEnvironment(model, new StringWriter());
    environment.process();
    @SuppressWarnings("unchecked")
    Map<String, Object> context =
        (Map<String, Object>) DeepUnwrap.unwrap(environment.getMainNamespace().get("context"));
    return context;
  }
}
