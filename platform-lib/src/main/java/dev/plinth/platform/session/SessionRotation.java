package dev.plinth.platform.session;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.session.Session;
import io.micronaut.session.SessionStore;
import io.micronaut.session.http.HttpSessionFilter;
import io.micronaut.session.http.SessionForRequest;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * Gives a request's session a new id when its privilege changes (log-in, log-out, a new role), so
 * an id planted in a victim's browser or seen before the change is worth nothing after it (session
 * fixation). The attributes move to a new session, the old id is deleted from the store, and the
 * response carries the new id in its cookie.
 */
@Singleton
@Requires(beans = SessionStore.class)
public class SessionRotation {
  private final SessionStore<Session> store;

  SessionRotation(SessionStore<Session> store) {
    this.store = store;
  }

  /**
   * The request's new session: the old one's attributes under a new id (a new, empty one when
   * none). Blocks until the old id is deleted from the store: call it from a blocking route, as a
   * log-in route is, not on the event loop.
   */
  public Session rotate(HttpRequest<?> request) {
    Session fresh = store.newSession();
    SessionForRequest.find(request)
        .ifPresent(
            old -> {
              for (Map.Entry<String, Object> attribute : old.asMap().entrySet()) {
                fresh.put(attribute.getKey(), attribute.getValue());
              }
              store.deleteSession(old.getId()).join();
            });
    // Where the session filter looks: it saves this one and writes its id to the cookie.
    request.setAttribute(HttpSessionFilter.SESSION_ATTRIBUTE, fresh);
    return fresh;
  }

  /**
   * Deletes the request's session and gives it a new, empty one (a log-out: nothing of the old
   * session survives, not even under a new id). Blocks like {@link #rotate}.
   */
  public Session discard(HttpRequest<?> request) {
    SessionForRequest.find(request).ifPresent(old -> store.deleteSession(old.getId()).join());
    Session fresh = store.newSession();
    request.setAttribute(HttpSessionFilter.SESSION_ATTRIBUTE, fresh);
    return fresh;
  }
}
