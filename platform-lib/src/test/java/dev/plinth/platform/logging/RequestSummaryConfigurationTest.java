package dev.plinth.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.config.PlinthProperties;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Both sides of the request summary's switch, and its defaults. */
class RequestSummaryConfigurationTest {

  @Test
  void summarisesEveryRequestByDefault() {
    try (ApplicationContext context = ApplicationContext.run()) {
      assertThat(context.containsBean(RequestSummaryFilter.class)).isTrue();
      assertThat(context.containsBean(RequestIdFilter.class)).isTrue();
      RequestSummaryConfiguration configuration =
          context.getBean(RequestSummaryConfiguration.class);
      assertThat(configuration.isEnabled()).isTrue();
      assertThat(configuration.getExcludePaths()).isEmpty();
    }
  }

  @Test
  void isSwitchedOffByEnabledFalseWhileRequestIdsStay() {
    try (ApplicationContext context =
        ApplicationContext.run(Map.of(PlinthProperties.REQUEST_SUMMARY_ENABLED, "false"))) {
      assertThat(context.containsBean(RequestSummaryFilter.class)).isFalse();
      assertThat(context.containsBean(RequestIdFilter.class)).isTrue();
    }
  }

  @Test
  void bindsExcludedPathsFromACommaSeparatedValue() {
    try (ApplicationContext context =
        ApplicationContext.run(
            Map.of(
                PlinthProperties.REQUEST_SUMMARY + ".exclude-paths",
                "/__lbheartbeat__,/__heartbeat__"))) {
      assertThat(context.getBean(RequestSummaryConfiguration.class).getExcludePaths())
          .containsExactly("/__lbheartbeat__", "/__heartbeat__");
    }
  }
}
