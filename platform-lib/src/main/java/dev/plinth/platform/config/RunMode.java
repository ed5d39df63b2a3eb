package dev.plinth.platform.config;

/** The four ways a Plinth process runs ({@code APP_RUN_MODE}). */
public enum RunMode {
  WEB,
  WORKER,
  BEAT,
  TASK;

  /** Modes that stay up and therefore serve the Dockerflow endpoints on {@code $PORT}. */
  public boolean isLongRunning() {
    return this != TASK;
  }
}
