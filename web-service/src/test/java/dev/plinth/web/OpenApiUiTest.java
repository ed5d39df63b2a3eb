package dev.plinth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.testing.InProcessMode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Swagger UI beside the OpenAPI description: on in debug, off in production unless asked for. */
class OpenApiUiTest {
  private static final String KEY = "0123456789abcdef0123";

  @TempDir Path dataDir;

  @Test
  void debugServesTheUiWithItsOwnScriptsAndTheDescriptionItPointsAt() {
    try (InProcessMode web =
        InProcessMode.start(
            Application.MODE, Application.class, InProcessMode.localEnvironment(dataDir))) {
      HttpResponse<String> page = web.get("/swagger-ui/index.html");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
      assertThat(page.body())
          .contains("'/openapi/plinth-1.yml'", "/swagger-ui/res/swagger-ui-bundle.js")
          // Served from the jar, not a CDN: the page works where there is no internet.
          .doesNotContain("unpkg.com", "cdn.");

      HttpResponse<String> script = web.get("/swagger-ui/res/swagger-ui-bundle.js");
      assertThat(script.statusCode()).isEqualTo(200);
      assertThat(script.body()).contains("SwaggerUIBundle");
      assertThat(web.get("/openapi/plinth-1.yml").body()).contains("openapi: 3");
    }
  }

  @Test
  void productionLeavesItOffUnlessTheVariableSwitchesItOn() {
    Map<String, String> production = InProcessMode.localEnvironment(dataDir);
    production.put("APP_DEBUG", "false");
    production.put("APP_SECRET_KEY", KEY);
    try (InProcessMode web = InProcessMode.start(Application.MODE, Application.class, production)) {
      assertThat(web.get("/swagger-ui/index.html").statusCode()).isEqualTo(404);
      assertThat(web.get("/swagger-ui/res/swagger-ui-bundle.js").statusCode()).isEqualTo(404);
      assertThat(web.get("/openapi/plinth-1.yml").statusCode()).isEqualTo(200);
    }

    production.put("APP_OPENAPI_UI", "true");
    try (InProcessMode web = InProcessMode.start(Application.MODE, Application.class, production)) {
      assertThat(web.get("/swagger-ui/index.html").statusCode()).isEqualTo(200);
    }
  }
}
