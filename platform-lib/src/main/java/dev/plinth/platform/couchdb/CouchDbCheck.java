package dev.plinth.platform.couchdb;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.config.Variables;
import dev.plinth.platform.dockerflow.CheckIds;
import dev.plinth.platform.dockerflow.CheckMessage;
import dev.plinth.platform.dockerflow.HealthCheck;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code plinth.couchdb.E001}: CouchDB does not answer; {@code E002}: it refuses the credentials of
 * {@code COUCHDB_USERNAME}; {@code E003}: the database of {@code COUCHDB_DATABASE} does not exist.
 */
@Singleton
@Requires(property = PlinthProperties.COUCHDB_ENABLED, value = "true")
public class CouchDbCheck implements HealthCheck {
  private final CouchDb couch;

  public CouchDbCheck(CouchDb couch) {
    this.couch = couch;
  }

  @Override
  public String name() {
    return CheckIds.COUCHDB;
  }

  @Override
  public Optional<Duration> timeout() {
    return Optional.of(Duration.ofSeconds(3));
  }

  @Override
  public List<CheckMessage> run() {
    int status;
    try {
      status = couch.databaseStatus();
    } catch (CouchDb.CouchDbException e) {
      return List.of(
          CheckMessage.error(
              CheckIds.COUCHDB_UNREACHABLE,
              "CouchDB of " + Variables.COUCHDB_HOST + " did not answer."));
    }
    if (status == 401 || status == 403) {
      return List.of(
          CheckMessage.error(
              CheckIds.COUCHDB_REFUSED,
              "CouchDB refused the credentials of "
                  + Variables.COUCHDB_USERNAME
                  + " ("
                  + status
                  + ")."));
    }
    if (status != 200) {
      return List.of(
          CheckMessage.error(
              CheckIds.COUCHDB_MISSING,
              "CouchDB has no database "
                  + couch.database()
                  + " ("
                  + Variables.COUCHDB_DATABASE
                  + ", "
                  + status
                  + ")."));
    }
    return List.of();
  }
}
