package dev.plinth.task.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.config.EnvironmentContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/environment.md and the code name the same variables, in the same order: the page's tables
 * (first column) against {@link EnvironmentContract#VARIABLES} and what {@code config} prints.
 */
class EnvironmentDocTest {
  private static final Pattern NAME = Pattern.compile("`([A-Z][A-Z0-9_]+)`");

  @Test
  void theEnvironmentPageListsExactlyTheVariablesConfigPrints() throws IOException {
    List<String> documented = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("..", "docs", "environment.md"))) {
      if (!line.startsWith("| `")) {
        continue;
      }
      Matcher names = NAME.matcher(line.substring(0, line.indexOf('|', 1)));
      while (names.find()) {
        documented.add(names.group(1));
      }
    }

    assertThat(documented).containsExactlyInAnyOrderElementsOf(ConfigCommand.VARIABLES);
    assertThat(documented.stream().filter(EnvironmentContract.VARIABLES::contains).toList())
        .as("the contract's order is the page's")
        .containsExactlyElementsOf(EnvironmentContract.VARIABLES);
  }
}
