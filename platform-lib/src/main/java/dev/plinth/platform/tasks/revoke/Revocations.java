package dev.plinth.platform.tasks.revoke;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.database.SqlFamily;
import dev.plinth.platform.tasks.TasksConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revoked task ids this process knows, each until {@code plinth.tasks.revoke-ttl} after its
 * revoke: in memory, so a delivery's check costs a map lookup, and in the {@code task_revoked}
 * table (with run state on), loaded on first use, so that a worker started after a revoke honours
 * it too. A revoke that reaches no running worker and no database (a Celery client's broadcast
 * while every Plinth worker is down, or run state off) is lost, as Celery's are without a statedb.
 */
@Singleton
@Requires(property = PlinthProperties.TASKS_ENABLED, notEquals = "false")
public class Revocations {
  private static final Logger LOG = LoggerFactory.getLogger(Revocations.class);

  private static final long RELOAD_NANOS = 10_000_000_000L;

  private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
  private final DataSource dataSource;
  private final TasksConfiguration configuration;
  private volatile boolean loaded;
  private volatile long nextLoad;

  public Revocations(DataSource dataSource, TasksConfiguration configuration) {
    this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    this.configuration = configuration;
  }

  /** True while {@code taskId} is revoked. */
  public boolean revoked(String taskId) {
    load();
    Instant until = revoked.get(taskId);
    return until != null && until.isAfter(Instant.now());
  }

  /** Revokes {@code taskIds} until the revoke TTL from now, here and in the database. */
  public void revoke(Collection<String> taskIds) {
    load();
    Instant now = Instant.now();
    Instant until = now.plus(configuration.getRevokeTtl());
    taskIds.forEach(id -> revoked.put(id, until));
    revoked.values().removeIf(expiry -> !expiry.isAfter(now));
    if (!configuration.isRecordState()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement delete =
          c.prepareStatement("DELETE FROM task_revoked WHERE expires_at < ?")) {
        delete.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        delete.executeUpdate();
      }
      String insert =
          SqlFamily.of(c)
              .insertOrNothing("INSERT INTO task_revoked (id, expires_at) VALUES (?, ?)", "id");
      try (PreparedStatement s = c.prepareStatement(insert)) {
        for (String id : taskIds) {
          s.setString(1, id);
          s.setObject(2, OffsetDateTime.ofInstant(until, ZoneOffset.UTC));
          s.addBatch();
        }
        s.executeBatch();
      }
    } catch (SQLException e) {
      // Held in memory all the same: this process honours it; a restarted one would not.
      LOG.atWarn().setCause(e).log("task revoke not stored: " + taskIds.size() + " ids");
    }
  }

  private void load() {
    if (loaded || !configuration.isRecordState() || System.nanoTime() - nextLoad < 0) {
      return;
    }
    synchronized (this) {
      if (loaded || System.nanoTime() - nextLoad < 0) {
        return;
      }
      Instant now = Instant.now();
      try (Connection c = dataSource.getConnection();
          PreparedStatement s = c.prepareStatement("SELECT id, expires_at FROM task_revoked");
          ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          Instant until = rows.getObject(2, OffsetDateTime.class).toInstant();
          if (until.isAfter(now)) {
            revoked.merge(rows.getString(1), until, (a, b) -> a.isAfter(b) ? a : b);
          }
        }
        loaded = true;
      } catch (SQLException e) {
        // Tried again in a while: a database that is back serves the stored revokes.
        nextLoad = System.nanoTime() + RELOAD_NANOS;
        LOG.atWarn().setCause(e).log("stored task revokes not read yet");
      }
    }
  }
}
