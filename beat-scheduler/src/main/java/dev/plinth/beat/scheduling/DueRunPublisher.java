package dev.plinth.beat.scheduling;

/**
 * Hands a due run to the task broker. Implementations return only once the broker has confirmed the
 * message, and throw when it has not: the run then stays recorded as unpublished and is retried, so
 * a broker outage delays a run and never loses it.
 */
@FunctionalInterface
public interface DueRunPublisher {
  void publish(DueRun run) throws Exception;
}
