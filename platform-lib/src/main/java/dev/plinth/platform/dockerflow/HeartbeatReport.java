package dev.plinth.platform.dockerflow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of one heartbeat: every check's result, by name in alphabetical order, and the worst
 * level among them.
 */
public record HeartbeatReport(CheckLevel level, SortedMap<String, CheckResult> results) {
  public HeartbeatReport {
    results = Collections.unmodifiableSortedMap(new TreeMap<>(results));
  }

  /** Builds the report from the checks' results; the overall level is the worst of theirs. */
  public static HeartbeatReport of(Iterable<CheckResult> results) {
    SortedMap<String, CheckResult> byName = new TreeMap<>();
    CheckLevel worst = CheckLevel.OK;
    for (CheckResult result : results) {
      if (byName.put(result.name(), result) != null) {
        throw new IllegalArgumentException("two results for the check " + result.name());
      }
      if (result.level().value() > worst.value()) {
        worst = result.level();
      }
    }
    return new HeartbeatReport(worst, byName);
  }

  /** The overall status text: the worst level's status, {@code ok} when no check said anything. */
  public String status() {
    return level.status();
  }

  /** 200 while the worst level is below ERROR, 500 from ERROR up. */
  public int httpStatus() {
    return level.isFailing() ? 500 : 200;
  }

  /**
   * The heartbeat body, as python-dockerflow writes it: {@code {"status", "checks": {name: status},
   * "details": {name: {"status", "level", "messages": {id: text}}}}}. Like python-dockerflow,
   * {@code details} lists only the checks that reported something. Plain maps and lists so that any
   * JSON writer can serialise it.
   */
  public Map<String, Object> body() {
    Map<String, Object> checks = new LinkedHashMap<>();
    Map<String, Object> details = new LinkedHashMap<>();
    results.forEach(
        (name, result) -> {
          checks.put(name, result.level().status());
          if (!result.messages().isEmpty()) {
            Map<String, String> messages = new LinkedHashMap<>();
            // One text per id: the first message with an id wins, later ones would be hidden.
            result.messages().forEach(m -> messages.putIfAbsent(m.id(), m.text()));
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("status", result.level().status());
            detail.put("level", result.level().value());
            detail.put("messages", messages);
            details.put(name, detail);
          }
        });
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status());
    body.put("checks", checks);
    body.put("details", details);
    return body;
  }
}
