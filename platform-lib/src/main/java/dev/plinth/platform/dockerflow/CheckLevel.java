package dev.plinth.platform.dockerflow;

/** Severity of a check message, with python-dockerflow's numeric levels and status names. */
public enum CheckLevel {
  OK(0, "ok"),
  DEBUG(10, "debug"),
  INFO(20, "info"),
  WARNING(30, "warning"),
  ERROR(40, "error"),
  CRITICAL(50, "critical");

  private final int value;
  private final String status;

  CheckLevel(int value, String status) {
    this.value = value;
    this.status = status;
  }

  public int value() {
    return value;
  }

  /** The status text used in the heartbeat body. */
  public String status() {
    return status;
  }

  /** From ERROR up, the heartbeat answers 500. */
  public boolean isFailing() {
    return value >= ERROR.value;
  }
}
