package dev.plinth.platform.tasks.execution;

import dev.plinth.platform.tasks.protocol.CeleryCanvas;
import dev.plinth.platform.tasks.protocol.TaskMessage;
import dev.plinth.platform.tasks.state.ChordParts;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's canvas steps (docs/tasks.md, "Canvas" and "Workflows"), published before the run's own
 * state is recorded, so that a step that cannot be published sends the message round again rather
 * than leaving the workflow stopped: a chain's next step and the links after a success, the
 * link_errors after a failure for good; for a chord's header part, its result counted in the run
 * state, and the body published by the part that completed the count.
 */
final class WorkflowSteps {
  private static final Logger LOG = LoggerFactory.getLogger(TaskExecution.class);

  private final CeleryCanvas canvas;
  private final StepPublisher steps;
  private final ChordParts chords;
  private final JsonMapper json;

  WorkflowSteps(CeleryCanvas canvas, StepPublisher steps, ChordParts chords, JsonMapper json) {
    this.canvas = canvas;
    this.steps = steps;
    this.chords = chords;
    this.json = json;
  }

  /** Publishes the chain's next step, the link callbacks and a chord's body, each confirmed. */
  void afterSuccess(TaskMessage message, Object result) throws IOException {
    if (CeleryCanvas.hasSteps(message)) {
      try {
        publish(canvas.afterSuccess(message, result));
        CeleryCanvas.ChordPart chord = CeleryCanvas.chordPart(message);
        if (chord != null) {
          chordPartSucceeded(message, chord, result);
        }
      } catch (CeleryCanvas.UnsupportedStep e) {
        unsupported(e);
      }
    }
  }

  /**
   * Publishes the link_error signatures of a run that failed for good, and tells the callers of a
   * chord's body that it will not run; a failure to publish is thrown before the run is recorded
   * dead, so the message goes back to the broker.
   */
  void afterFailure(TaskMessage message) {
    if (CeleryCanvas.hasSteps(message)) {
      try {
        publish(canvas.afterFailure(message));
        CeleryCanvas.ChordPart chord = CeleryCanvas.chordPart(message);
        if (chord != null
            && chordsCounted(chord)
            && chords.partFailed(chord.groupId(), chord.size())) {
          LOG.error("task chord {} stopped: its part {} failed", chord.groupId(), message.id());
          tell(
              CeleryCanvas.waiting(chord.body()),
              "ChordError",
              "Dependency " + message.id() + " raised an error: the chord's body does not run");
        }
      } catch (CeleryCanvas.UnsupportedStep e) {
        unsupported(e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void chordPartSucceeded(TaskMessage message, CeleryCanvas.ChordPart chord, Object result)
      throws IOException, CeleryCanvas.UnsupportedStep {
    if (!chordsCounted(chord)) {
      return;
    }
    Optional<List<String>> complete =
        chords.partSucceeded(
            chord.groupId(), chord.index(), chord.size(), json.writeValueAsString(result));
    if (complete.isPresent()) {
      List<JsonNode> results = new ArrayList<>(complete.get().size());
      for (String text : complete.get()) {
        results.add(json.readValue(text, JsonNode.class));
      }
      publish(List.of(canvas.chordBody(message, chord, results)));
      chords.bodyPublished(chord.groupId());
    }
  }

  // Without run state nothing counts the header: the chord's callers hear so instead of waiting.
  private boolean chordsCounted(CeleryCanvas.ChordPart chord) throws CeleryCanvas.UnsupportedStep {
    if (chords.enabled()) {
      return true;
    }
    throw new CeleryCanvas.UnsupportedStep(
        "chord "
            + chord.groupId()
            + " needs run state (plinth.tasks.record-state) to count its"
            + " header",
        CeleryCanvas.waiting(chord.body()));
  }

  private void publish(List<CeleryCanvas.Step> next) throws IOException {
    if (next.isEmpty()) {
      return;
    }
    if (steps == null) {
      throw new IOException("canvas steps have nowhere to go: " + next.size() + " left");
    }
    for (CeleryCanvas.Step step : next) {
      steps.publish(step);
    }
  }

  // The run itself stands; its workflow cannot go on here: the callers waiting on the rest hear
  // so, rather than waiting for ever.
  private void unsupported(CeleryCanvas.UnsupportedStep e) {
    LOG.error("task workflow stopped: {}", e.getMessage());
    tell(e.waiting(), "NotImplementedError", e.getMessage());
  }

  private void tell(java.util.Map<String, String> waiting, String excType, String reason) {
    if (steps != null && !waiting.isEmpty()) {
      try {
        steps.fail(waiting, excType, reason);
      } catch (IOException failed) {
        LOG.atWarn().setCause(failed).log("task workflow's callers not told it stopped");
      }
    }
  }
}
