package dev.plinth.task;

import dev.plinth.platform.testing.ModeProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the TASK mode as a process with arguments and an environment of the test's choosing. */
final class TaskProcess {
  private TaskProcess() {}

  record Result(int exit, String stdout, String stderr) {
    String all() {
      return stdout + stderr;
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  /** The environment every run starts from: debug on, files in a directory of the test's. */
  static Map<String, String> baseEnvironment(Path dataDir) {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv("PATH"));
    env.put("APP_DEBUG", "true");
    env.put("APP_DATA_DIR", dataDir.toString());
    return env;
  }

  static Result run(Map<String, String> env, String... args) throws Exception {
    Running running = start(env, args);
    return running.waitForExit();
  }

  /** A TASK process started and not waited for: the test signals it, then waits. */
  record Running(Process process, CompletableFuture<String> out, CompletableFuture<String> err) {
    Result waitForExit() throws Exception {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the TASK process did not exit within 120 s");
      }
      return new Result(process.exitValue(), out.get(), err.get());
    }
  }

  /** As {@link #run(Map, String...)}, with {@code stdin} as the process's standard input. */
  static Result runWithInput(Map<String, String> env, byte[] stdin, String... args)
      throws Exception {
    Running running = start(env, stdin, args);
    return running.waitForExit();
  }

  /** The command line of a TASK process with {@code args}: this JVM's java, the test class path. */
  static List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    String surefire = System.getProperty("surefire.test.class.path");
    command.add(surefire != null ? surefire : System.getProperty("java.class.path"));
    command.add(Application.class.getName());
    command.addAll(List.of(args));
    return command;
  }

  static Running start(Map<String, String> env, String... args) throws IOException {
    return start(env, null, args);
  }

  private static Running start(Map<String, String> env, byte[] stdin, String... args)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command(args));
    builder.environment().clear();
    builder.environment().putAll(env);
    if (stdin == null) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    Process process = builder.start();
    if (stdin != null) {
      try (var in = process.getOutputStream()) {
        in.write(stdin);
      }
    }
    return new Running(
        process,
        ModeProcess.read(process.getInputStream()),
        ModeProcess.read(process.getErrorStream()));
  }
}
