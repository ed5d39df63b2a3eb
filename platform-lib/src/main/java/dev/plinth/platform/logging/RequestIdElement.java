package dev.plinth.platform.logging;

import io.micronaut.core.propagation.ThreadPropagatedContextElement;
import org.slf4j.MDC;

/**
 * The request id as an element of Micronaut's propagated context: wherever Micronaut restores the
 * context (event loop, IO executor, instrumented executors), MDC {@code rid} is set, and put back
 * as it was afterwards. Touches only {@code rid}, so other MDC entries are left alone.
 */
record RequestIdElement(String rid) implements ThreadPropagatedContextElement<String> {
  @Override
  public String updateThreadContext() {
    String previous = MDC.get(RequestIds.MDC_KEY);
    MDC.put(RequestIds.MDC_KEY, rid);
    return previous;
  }

  @Override
  public void restoreThreadContext(String previous) {
    if (previous == null) {
      MDC.remove(RequestIds.MDC_KEY);
    } else {
      MDC.put(RequestIds.MDC_KEY, previous);
    }
  }
}
