package dev.plinth.platform.database;

import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/** A Flyway callback that counts {@code info()} calls, to see when the migrations check runs it. */
public class CountingInfoCallback implements Callback {
  static final AtomicInteger INFO_CALLS = new AtomicInteger();

  @Override
  public boolean supports(Event event, Context context) {
    return event == Event.AFTER_INFO;
  }

  @Override
  public boolean canHandleInTransaction(Event event, Context context) {
    return true;
  }

  @Override
  public void handle(Event event, Context context) {
    INFO_CALLS.incrementAndGet();
  }

  @Override
  public String getCallbackName() {
    return "counting-info";
  }
}
