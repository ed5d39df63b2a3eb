package dev.plinth.beat.scheduling;

/** What a schedule does with runs that fell due while no scheduler was running. */
public enum MisfirePolicy {
  /** Publish one run (for the latest missed due time), however many were missed. */
  RUN_ONCE,
  /** Publish none of the missed runs; carry on with the next due time. */
  SKIP
}
