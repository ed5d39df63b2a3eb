package dev.plinth.platform.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus text scrape as the modes' management port serves it, read as an operator's query
 * would: the sum of a metric's samples whose labels include the given ones.
 */
public record PrometheusScrape(String text) {
  /** The alert rules of devops/prometheus, from a module's directory. */
  public static final Path ALERT_RULES = Path.of("..", "devops", "prometheus", "alerts.yaml");

  /** The sum of the samples of {@code name} whose labels contain every one of {@code labels}. */
  public double value(String name, String... labels) {
    Pattern sample = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$");
    double sum = 0;
    for (String line : text.lines().toList()) {
      Matcher m = sample.matcher(line);
      if (!m.matches()) {
        continue;
      }
      String set = m.group(1) == null ? "" : m.group(1);
      boolean all = true;
      for (String label : labels) {
        all &= set.contains(label);
      }
      if (all) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  /**
   * Every metric named {@code prefix…} in the alert rules is in this scrape: a renamed meter breaks
   * the test that scrapes it, not an alert in production.
   */
  public void assertHasTheAlertRulesMetrics(String prefix) {
    try {
      Matcher used =
          Pattern.compile(Pattern.quote(prefix) + "[a-z_]+").matcher(Files.readString(ALERT_RULES));
      int names = 0;
      while (used.find()) {
        names++;
        assertThat(text)
            .as("%s, used by the alert rules", used.group())
            .contains(used.group() + "{");
      }
      assertThat(names).as("metrics named %s… in the alert rules", prefix).isPositive();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
