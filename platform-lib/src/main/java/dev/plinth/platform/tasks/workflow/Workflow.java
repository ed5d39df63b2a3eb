package dev.plinth.platform.tasks.workflow;

import java.util.List;

/**
 * Tasks started together (docs/tasks.md, "Workflows"): a {@link Chain} runs its steps one after
 * another, each given the result before it; a {@link Group} runs its members side by side; a {@link
 * Chord} runs its header as a group and its body once, exactly once, with every header result in
 * order, after the last of them succeeded.
 */
public sealed interface Workflow {
  /** {@code steps} one after another. */
  static Workflow chain(Signature<?>... steps) {
    return new Chain(List.of(steps));
  }

  /** {@code members} side by side. */
  static Workflow group(List<? extends Signature<?>> members) {
    return new Group(List.copyOf(members));
  }

  /** {@code header} side by side, then {@code body} with their results. */
  static Workflow chord(List<? extends Signature<?>> header, Signature<?> body) {
    return new Chord(List.copyOf(header), body);
  }

  /** Steps run in order; at least one. */
  record Chain(List<Signature<?>> steps) implements Workflow {
    public Chain {
      steps = List.copyOf(steps);
      if (steps.isEmpty()) {
        throw new IllegalArgumentException("a chain has at least one step");
      }
    }
  }

  /** Members run side by side; at least one. */
  record Group(List<Signature<?>> members) implements Workflow {
    public Group {
      members = List.copyOf(members);
      if (members.isEmpty()) {
        throw new IllegalArgumentException("a group has at least one member");
      }
    }
  }

  /** A header group and the body its results go to; at least one header task. */
  record Chord(List<Signature<?>> header, Signature<?> body) implements Workflow {
    public Chord {
      header = List.copyOf(header);
      if (header.isEmpty() || body == null) {
        throw new IllegalArgumentException("a chord has a header of at least one task and a body");
      }
    }
  }
}
