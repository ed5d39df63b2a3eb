package dev.plinth.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.testing.PostgresTestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long command in a real terminal (a tmux pane): the progress bar with its rate and ETA. On a
 * pipe the same command logs lines instead (TaskCommandsTest).
 */
class ProgressInTerminalTest {
  @TempDir Path dataDir;

  @Test
  void aTerminalGetsTheBarWithRateAndEta() throws Exception {
    try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
      Map<String, String> env = TaskProcess.baseEnvironment(dataDir);
      env.putAll(db.environment());
      env.put("APP_LOG_FORMAT", "text");
      assertThat(TaskProcess.run(env, "migrate", "apply").exit()).isZero();
      assertThat(TaskProcess.run(env, "notes", "seed", "--count", "20000").exit()).isZero();

      Path script = dataDir.resolve("tidy.sh");
      String exports =
          env.entrySet().stream()
              .map(e -> "export " + e.getKey() + "=" + quoted(e.getValue()))
              .collect(Collectors.joining("\n"));
      List<String> command = TaskProcess.command("notes", "tidy", "--batch", "10");
      Files.writeString(
          script,
          "#!/bin/sh\n"
              + exports
              + "\n"
              + command.stream()
                  .map(ProgressInTerminalTest::quoted)
                  .collect(Collectors.joining(" "))
              + "\necho TIDY-EXIT=$?\nsleep 60\n",
          StandardCharsets.UTF_8);
      String session = "plinth-progress-" + UUID.randomUUID().toString().substring(0, 8);
      tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "20", "sh " + script);
      try {
        String pane =
            await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(
                    () -> tmux("capture-pane", "-p", "-t", session), p -> p.contains("TIDY-EXIT="));
        assertThat(pane).contains("TIDY-EXIT=0", "tidied 20000 of 20000 note(s)");
        // The library's bar: name, 100 %, done/total, elapsed / ETA, and the rate.
        assertThat(pane)
            .containsPattern(
                "notes\\.tidy +100% \\[=+\\] 20000/20000 \\(\\d+:\\d\\d:\\d\\d / \\d+:\\d\\d:\\d\\d\\) \\d+(\\.\\d+)?/s");
      } finally {
        tmux("kill-session", "-t", session);
      }
    }
  }

  private static String quoted(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  private static String tmux(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("tmux"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("tmux %s: %s", args[0], out).isZero();
    return out;
  }
}
