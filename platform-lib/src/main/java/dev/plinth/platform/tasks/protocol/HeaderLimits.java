package dev.plinth.platform.tasks.protocol;

/**
 * Bounds for the Celery headers a worker stores or echoes, matching the {@code task_run} columns
 * (platform migration V1): a header that would not fit, or holds characters no id has, makes the
 * message poison ({@code bad-header}) at decode, before any state write could fail on it and send
 * the message round again. Errors name the header and its length, never its value.
 */
public final class HeaderLimits {
  /** {@code task_run.id VARCHAR(64)}; Celery's ids are 36-character UUIDs. */
  static final int ID_MAX = 64;

  /** {@code task_run.task_name VARCHAR(200)}. */
  static final int TASK_NAME_MAX = 200;

  /** W3C's bound for {@code tracestate} (32 members); a {@code traceparent} is 55 characters. */
  static final int TRACE_CONTEXT_MAX = 512;

  private HeaderLimits() {}

  /**
   * A {@code traceparent} or {@code tracestate} header as carried on: null when absent, longer than
   * {@value #TRACE_CONTEXT_MAX} characters or not printable ASCII. Trace context that does not hold
   * is dropped, as W3C asks, never fatal: the run starts a trace of its own.
   */
  static String traceContext(String value) {
    if (value == null
        || value.length() > TRACE_CONTEXT_MAX
        || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      return null;
    }
    return value;
  }

  /** The longest {@code plinth_uid} kept. */
  static final int UID_MAX = 256;

  /**
   * {@code plinth_uid} when it is 1-{@value #UID_MAX} printable characters; dropped otherwise (the
   * run goes on, on nobody's behalf), never fatal: it is what the log and Sentry show, not a right.
   */
  static String uid(String value) {
    if (value == null
        || value.isEmpty()
        || value.length() > UID_MAX
        || !value.codePoints().allMatch(c -> c >= 0x20 && c != 0x7f)) {
      return null;
    }
    return value;
  }

  /**
   * {@code value} when it is 1-{@value #ID_MAX} characters of {@code [A-Za-z0-9._:@-]}.
   *
   * @throws PoisonMessageException {@code bad-header} otherwise
   */
  static String id(String header, String value) throws PoisonMessageException {
    if (value.length() > ID_MAX || !value.chars().allMatch(HeaderLimits::idChar)) {
      throw bad(header, value, ID_MAX + " characters of [A-Za-z0-9._:@-]");
    }
    return value;
  }

  /** As {@link #id}, for an optional header: null stays null. */
  static String optionalId(String header, String value) throws PoisonMessageException {
    return value == null ? null : id(header, value);
  }

  /**
   * A task name: 1-{@value #TASK_NAME_MAX} letters, digits or {@code ._:-} (Python's dotted names;
   * a non-UTF-8 header decodes to U+FFFD, which is none of these).
   */
  static String taskName(String value) throws PoisonMessageException {
    boolean ok =
        value.length() <= TASK_NAME_MAX
            && value
                .codePoints()
                .allMatch(c -> Character.isLetterOrDigit(c) || "._:-".indexOf(c) >= 0);
    if (!ok) {
      throw bad("task", value, TASK_NAME_MAX + " letters, digits or ._:-");
    }
    return value;
  }

  /** True when a run row can be written for {@code id} and {@code name} (a dead row, say). */
  public static boolean storable(String id, String name) {
    try {
      id("id", id);
      taskName(name);
      return !id.isEmpty() && !name.isEmpty();
    } catch (PoisonMessageException e) {
      return false;
    }
  }

  private static boolean idChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || ".-_:@".indexOf(c) >= 0;
  }

  private static PoisonMessageException bad(String header, String value, String expected) {
    return new PoisonMessageException(
        "bad-header",
        "header '" + header + "' (" + value.length() + " characters) is not 1-" + expected);
  }
}
