package dev.plinth.platform.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/dockerflow.md's check table names exactly the platform's ids of {@link CheckIds}. */
class CheckIdsDocTest {
  private static final Pattern ID = Pattern.compile("^\\| `[^`]+` \\| `(plinth\\.[^`]+)` \\|");

  @Test
  void theDockerflowPageListsEveryPlatformCheckIdAndNoOther()
      throws IOException, IllegalAccessException {
    List<String> documented = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("..", "docs", "dockerflow.md"))) {
      Matcher m = ID.matcher(line);
      if (m.find()
          && !m.group(1).startsWith("plinth.beat.")
          && !m.group(1).startsWith("plinth.task_consumers.")) {
        documented.add(m.group(1));
      }
    }
    List<String> inCode = new ArrayList<>();
    for (Field field : CheckIds.class.getFields()) {
      String value = (String) field.get(null);
      if (Modifier.isStatic(field.getModifiers()) && value.startsWith("plinth.")) {
        inCode.add(value);
      }
    }
    assertThat(documented).containsExactlyInAnyOrderElementsOf(inCode);
  }
}
