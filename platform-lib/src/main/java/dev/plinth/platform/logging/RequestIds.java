package dev.plinth.platform.logging;

import io.micronaut.core.propagation.PropagatedContext;
import io.micronaut.http.HttpRequest;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * The request id ({@code rid}) that ties together the log lines of one HTTP request and the tasks
 * it enqueues. It arrives in (or is generated for) the {@code X-Request-ID} header, is echoed in
 * the response, and sits in the MDC under {@code rid} while the request is served, on whichever
 * thread Micronaut runs the code (it travels in Micronaut's {@link PropagatedContext}).
 */
public final class RequestIds {
  /** The HTTP header carrying the request id, both ways. */
  public static final String HEADER = "X-Request-ID";

  /** The MDC key (and mozlog field) of the request id. */
  public static final String MDC_KEY = "rid";

  /**
   * The MDC key of the user a task runs on behalf of (a request's is its principal): on its log
   * lines, its Sentry events and the tasks it enqueues.
   */
  public static final String UID_MDC_KEY = "uid";

  static final int MAX_LENGTH = 128;
  static final String REQUEST_ATTRIBUTE = "plinth.logging.rid";

  private RequestIds() {}

  /**
   * The request id of the work being done on this thread: the HTTP request being served, or
   * whatever a task consumer set with {@link #propagate(String)}.
   */
  public static Optional<String> current() {
    Optional<RequestIdElement> element =
        PropagatedContext.find().flatMap(context -> context.find(RequestIdElement.class));
    if (element.isPresent()) {
      return Optional.of(element.get().rid());
    }
    return Optional.ofNullable(MDC.get(MDC_KEY));
  }

  /** The request id assigned to {@code request} by the server, if any. */
  public static Optional<String> of(HttpRequest<?> request) {
    return request.getAttribute(REQUEST_ATTRIBUTE, String.class);
  }

  /**
   * Makes {@code rid} the current request id (and MDC {@code rid}) until the scope is closed, and
   * for everything Micronaut propagates the context to meanwhile. For code that continues a request
   * elsewhere, e.g. a task consumer; close the scope on the same thread, in a finally.
   */
  public static PropagatedContext.Scope propagate(String rid) {
    return PropagatedContext.getOrEmpty().plus(new RequestIdElement(rid)).propagate();
  }

  /** Runs {@code work} with {@code rid} as the current request id; see {@link #propagate}. */
  public static <T> T withRequestId(String rid, Supplier<T> work) {
    return PropagatedContext.getOrEmpty().plus(new RequestIdElement(rid)).propagate(work);
  }

  /** True for 1-128 characters of {@code [A-Za-z0-9._-]}: safe to echo and to log. */
  public static boolean isValid(String candidate) {
    if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** {@code candidate} when it is a valid id, else a new one. */
  public static String acceptOrGenerate(String candidate) {
    return isValid(candidate) ? candidate : generate();
  }

  /**
   * A new id: 32 random hex digits, the shape of a UUID without dashes. Correlation needs
   * uniqueness, not secrecy, so a thread-local generator serves (no shared SecureRandom lock).
   */
  public static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] hex = new char[32];
    fillHex(hex, 0, random.nextLong());
    fillHex(hex, 16, random.nextLong());
    return new String(hex);
  }

  private static void fillHex(char[] target, int offset, long bits) {
    for (int i = 15; i >= 0; i--) {
      target[offset + i] = Character.forDigit((int) (bits & 0xf), 16);
      bits >>>= 4;
    }
  }
}
