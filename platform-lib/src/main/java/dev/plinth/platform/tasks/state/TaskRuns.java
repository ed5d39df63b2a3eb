package dev.plinth.platform.tasks.state;

import dev.plinth.platform.secrets.SecretRedactor;
import dev.plinth.platform.secrets.SensitiveParameters;
import dev.plinth.platform.tasks.TaskRun;
import dev.plinth.platform.tasks.TasksConfiguration;
import dev.plinth.platform.tasks.protocol.TaskMessage;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code task_run} table (V10). Plain JDBC on the pool. Transitions of running tasks go through
 * one writer thread that commits whatever has queued up since its last commit in ONE transaction
 * (group commit): many runs' states cost one WAL flush. A caller learns its write is durable from
 * the returned future, so a message is still acknowledged only after its state committed; a failed
 * transaction fails every write in it (those messages are requeued). With {@code
 * plinth.tasks.record-state=false} nothing is written (and redeliveries are not detected).
 */
@Singleton
@Requires(property = TasksConfiguration.ENABLED, notEquals = "false")
public class TaskRuns {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRuns.class);
  private static final String INSERT =
      "INSERT INTO task_run (id, task_name, status, attempts, rid, enqueued_at, started_at,"
          + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

  /** A run's queued row, unpublished until the broker confirms its message (migration V22). */
  private static final String INSERT_QUEUED =
      "INSERT INTO task_run (id, task_name, status, attempts, rid, enqueued_at, started_at,"
          + " updated_at, published) VALUES (?, ?, ?, ?, ?, ?, ?, ?, FALSE) ON CONFLICT DO NOTHING";

  /**
   * PostgreSQL: a run's {@code running} write and its end as one upsert each, sent as JDBC batches
   * (one round trip per kind and group). Other databases (the embedded H2) run an UPDATE and, when
   * it misses, an INSERT per write.
   */
  private static final String UPSERT_RUNNING =
      "INSERT INTO task_run (id, task_name, status, attempts, rid, enqueued_at, started_at,"
          + " updated_at) VALUES (?, ?, ?, ?, ?, ?::timestamptz, ?::timestamptz,"
          + " ?::timestamptz) ON CONFLICT (id) DO UPDATE SET"
          + " status = 'running', attempts = EXCLUDED.attempts, started_at = EXCLUDED.started_at,"
          + " updated_at = EXCLUDED.updated_at WHERE task_run.status <> 'succeeded'";

  private static final String UPSERT_END =
      "INSERT INTO task_run (id, task_name, status, attempts, rid, enqueued_at, started_at,"
          + " updated_at, finished_at, error) VALUES (?, ?, ?, ?, ?, ?::timestamptz,"
          + " ?::timestamptz, ?::timestamptz, ?::timestamptz, ?)"
          + " ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, error = EXCLUDED.error,"
          + " finished_at = EXCLUDED.finished_at, updated_at = EXCLUDED.updated_at,"
          + " attempts = EXCLUDED.attempts, started_at = EXCLUDED.started_at";

  /** The longest error text a run row keeps. */
  private static final int STORED_ERROR_LENGTH = 4000;

  /** The most writes committed in one transaction. */
  static final int MAX_BATCH = 512;

  private final DataSource dataSource;
  private final boolean enabled;
  private final BlockingQueue<Write> writes = new LinkedBlockingQueue<>();
  private final List<Runnable> afterCommit = new CopyOnWriteArrayList<>();
  private final Thread writer;
  private volatile boolean closed;
  private volatile Boolean postgres;

  public TaskRuns(DataSource dataSource, TasksConfiguration configuration) {
    this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    this.enabled = configuration.isRecordState();
    this.writer = new Thread(this::writeLoop, "plinth-task-state-writer");
    writer.setDaemon(true);
    if (enabled) {
      writer.start();
    }
  }

  /** One statement group of a transition, run inside the writer's transaction. */
  @FunctionalInterface
  interface Statements {
    void run(Connection connection) throws SQLException;
  }

  /** Binds one row of a batched upsert. */
  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  /** A write PostgreSQL runs as one row of a JDBC batch of {@code sql}. */
  private record Upsert(String sql, Binder binder) {}

  /**
   * A queued write: {@code what} is the status it records for run {@code runId} (or, without a run,
   * what it does; {@link #describe} makes the error text only when a write fails). An end written
   * with the whole row ({@code supersedes}) makes an earlier {@code running} write of the same run
   * in the same group redundant, and it is skipped. {@code upsert}, when set, is what PostgreSQL
   * runs instead of {@code statements}, batched with the group's other upserts.
   */
  private record Write(
      String what,
      Statements statements,
      Upsert upsert,
      CompletableFuture<Void> done,
      String runId,
      boolean running,
      boolean supersedes) {}

  public boolean enabled() {
    return enabled;
  }

  /**
   * Runs {@code listener} on the writer thread after each group commit (or its failure), once the
   * futures of its writes completed: the worker acknowledges a group's successes there at once.
   */
  public void afterCommit(Runnable listener) {
    afterCommit.add(listener);
  }

  /** Records a new run as queued; false when a run with this id exists already. */
  public boolean queued(String id, String name, String rid, Instant enqueuedAt) {
    if (!enabled) {
      return true;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(INSERT_QUEUED)) {
      bindRow(s, false, id, name, TaskRun.QUEUED, 0, rid, enqueuedAt, null, Instant.now());
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new TaskStateException("recording run " + id + " as queued", e);
    }
  }

  /** Records new runs as queued in one transaction (runs that exist already are left alone). */
  public void queuedAll(List<TaskMessage> messages, Instant enqueuedAt) {
    if (!enabled) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      inTransaction(
          c,
          tx -> {
            try (PreparedStatement s = tx.prepareStatement(INSERT_QUEUED)) {
              for (TaskMessage m : messages) {
                bindRow(
                    s,
                    false,
                    m.id(),
                    m.name(),
                    TaskRun.QUEUED,
                    0,
                    m.rid(),
                    enqueuedAt,
                    null,
                    Instant.now());
                s.addBatch();
              }
              s.executeBatch();
            }
          });
    } catch (SQLException e) {
      throw new TaskStateException("recording " + messages.size() + " runs as queued", e);
    }
  }

  /** Forgets a run whose message never reached the broker. */
  public void forget(String id) {
    update("DELETE FROM task_run WHERE id = ? AND status = 'queued'", id);
  }

  /** Records that the broker confirmed the messages of runs {@code ids}. */
  public void published(List<String> ids) {
    if (!enabled || ids.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("UPDATE task_run SET published = TRUE WHERE id = ?")) {
      for (String id : ids) {
        s.setString(1, id);
        s.addBatch();
      }
      s.executeBatch();
    } catch (SQLException e) {
      throw new TaskStateException("recording " + ids.size() + " runs as published", e);
    }
  }

  /**
   * True when run {@code id} is still queued and its message was never confirmed: its enqueuer died
   * (or failed) between the row and the confirm, and whoever finds it publishes it again. A run
   * past {@code queued} was delivered, so it was on the broker.
   */
  public boolean unpublished(String id) {
    if (!enabled) {
      return false;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT 1 FROM task_run WHERE id = ? AND status = 'queued' AND published = FALSE")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new TaskStateException("reading run " + id, e);
    }
  }

  /**
   * Marks the run as running on {@code attempt}. Returns false, changing nothing, when the run has
   * already succeeded: a redelivered message that must be acknowledged without running. The check
   * is a read; the {@code running} row itself is written by the next group commit, not waited for
   * (the end of the attempt is recorded in full whether or not it landed).
   */
  public boolean started(
      String id, String name, int attempt, String rid, Instant enqueuedAt, Instant now) {
    return started(id, name, attempt, rid, enqueuedAt, now, true);
  }

  /**
   * As {@link #started(String, String, int, String, Instant, Instant)}; {@code check} false skips
   * the read (a first delivery, which cannot be a redelivery of a run that succeeded) and always
   * returns true.
   */
  public boolean started(
      String id,
      String name,
      int attempt,
      String rid,
      Instant enqueuedAt,
      Instant now,
      boolean check) {
    if (!enabled) {
      return true;
    }
    if (check) {
      try (Connection c = dataSource.getConnection()) {
        if (TaskRun.SUCCEEDED.equals(status(c, id))) {
          return false;
        }
      } catch (SQLException e) {
        throw new TaskStateException("recording run " + id + " as running", e);
      }
    }
    Instant updated = Instant.now();
    submit(
        TaskRun.RUNNING,
        id,
        true,
        false,
        new Upsert(
            UPSERT_RUNNING,
            s ->
                bindRow(
                    s, true, id, name, TaskRun.RUNNING, attempt, rid, enqueuedAt, now, updated)),
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE task_run SET status = 'running', attempts = ?, started_at = ?,"
                      + " updated_at = ? WHERE id = ? AND status <> 'succeeded'")) {
            s.setInt(1, attempt);
            s.setObject(2, odt(now));
            s.setObject(3, odt(now));
            s.setString(4, id);
            if (s.executeUpdate() == 1) {
              return;
            }
          }
          try (PreparedStatement s = c.prepareStatement(INSERT)) {
            bindRow(
                s, false, id, name, TaskRun.RUNNING, attempt, rid, enqueuedAt, now, Instant.now());
            s.executeUpdate();
          }
        });
    return true;
  }

  /** Records the end of an attempt: succeeded, failed (retry scheduled) or dead; waits for it. */
  public void finished(String id, String status, String error, Instant now) {
    await(finishing(id, null, 0, null, null, null, status, error, now));
  }

  /**
   * Records the end of attempt {@code attempt} in the next group commit; the future completes when
   * it is durable. The row is inserted when missing, so it does not depend on the {@code running}
   * write. {@code name} may be null only when the row is known to exist.
   */
  public CompletableFuture<Void> finishing(
      String id,
      String name,
      int attempt,
      String rid,
      Instant enqueuedAt,
      Instant startedAt,
      String status,
      String error,
      Instant now) {
    if (!enabled) {
      return CompletableFuture.completedFuture(null);
    }
    String text = error == null ? null : truncate(error);
    boolean wholeRow = name != null && startedAt != null;
    // Only the whole row is an upsert; a partial end (a dead letter before any attempt, or a row
    // known to exist) keeps what the row has, as its UPDATE does.
    Upsert upsert =
        !wholeRow
            ? null
            : new Upsert(
                UPSERT_END,
                s -> {
                  bindRow(s, true, id, name, status, attempt, rid, enqueuedAt, startedAt, now);
                  bindTimestamp(s, 9, now);
                  s.setString(10, text);
                });
    return submit(
        status,
        id,
        false,
        wholeRow,
        upsert,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  wholeRow
                      ? "UPDATE task_run SET status = ?, error = ?, finished_at = ?, updated_at = ?,"
                          + " attempts = ?, started_at = ? WHERE id = ?"
                      : "UPDATE task_run SET status = ?, error = ?, finished_at = ?, updated_at = ?"
                          + " WHERE id = ?")) {
            s.setString(1, status);
            s.setString(2, text);
            s.setObject(3, odt(now));
            s.setObject(4, odt(now));
            if (wholeRow) {
              s.setInt(5, attempt);
              s.setObject(6, odt(startedAt));
            }
            s.setString(wholeRow ? 7 : 5, id);
            if (s.executeUpdate() == 1 || name == null) {
              return;
            }
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO task_run (id, task_name, status, attempts, rid, enqueued_at,"
                      + " started_at, updated_at, finished_at, error)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bindRow(s, false, id, name, status, attempt, rid, enqueuedAt, startedAt, Instant.now());
            s.setObject(9, odt(now));
            s.setString(10, text);
            s.executeUpdate();
          }
        });
  }

  /** Completes when every write submitted before this call is committed (or failed). */
  public void flush() {
    if (enabled && !closed) {
      submit("flushing", null, false, false, null, c -> {}).exceptionally(e -> null).join();
    }
  }

  /** Records a message that died before any attempt (poison): a row exists for every task id. */
  public void dead(String id, String name, String rid, String error, Instant now) {
    if (!enabled) {
      return;
    }
    await(finishing(id, name, 0, rid, null, null, TaskRun.DEAD, error, now));
  }

  private CompletableFuture<Void> submit(
      String what,
      String runId,
      boolean running,
      boolean supersedes,
      Upsert upsert,
      Statements statements) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(
          new TaskStateException(
              describe(what, runId), new SQLException("the run-state writer is closed")));
    } else {
      writes.add(new Write(what, statements, upsert, done, runId, running, supersedes));
    }
    return done;
  }

  /** {@code what} is a run's new status when {@code runId} is set. */
  private static String describe(String what, String runId) {
    return runId == null ? what : "recording run " + runId + " as " + what;
  }

  private static void await(CompletableFuture<Void> write) {
    try {
      write.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof TaskStateException state) {
        throw state;
      }
      throw e;
    }
  }

  /** The writer: everything queued since the last commit goes into the next transaction. */
  private void writeLoop() {
    List<Write> batch = new ArrayList<>();
    while (true) {
      try {
        Write first = writes.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closed) {
            return;
          }
          continue;
        }
        batch.add(first);
        writes.drainTo(batch, MAX_BATCH - 1);
        commit(batch);
      } catch (InterruptedException e) {
        closed = true;
      } catch (RuntimeException e) {
        LOG.error("run-state writer failed", e);
        batch.forEach(w -> w.done().completeExceptionally(e));
      } finally {
        batch.clear();
      }
    }
  }

  /**
   * Commits a group. A group that fails for a reason other than the connection is retried one write
   * at a time, so a row the database refuses fails alone and the rest of the group commits: a
   * well-formed message is never held hostage by another one's row.
   */
  private void commit(List<Write> batch) {
    try {
      transaction(batch);
    } catch (GroupFailure failure) {
      if (batch.size() == 1 || failure.connectionLost()) {
        LOG.atError()
            .addKeyValue("writes", batch.size())
            .log(
                "run-state transaction failed, its messages stay unacknowledged: "
                    + failure.getCause().getMessage());
        batch.forEach(w -> w.done().completeExceptionally(failure.state()));
        notifyCommitted();
        return;
      }
      LOG.atWarn()
          .addKeyValue("writes", batch.size())
          .log(
              "run-state group commit failed, writing it one run at a time: "
                  + failure.getCause().getMessage());
      for (Write w : batch) {
        try {
          transaction(List.of(w));
          w.done().complete(null);
        } catch (GroupFailure alone) {
          LOG.atError()
              .addKeyValue("task_id", w.runId())
              .log("run-state write refused: " + alone.getCause().getMessage());
          w.done().completeExceptionally(alone.state());
        }
      }
      notifyCommitted();
      return;
    }
    // Acknowledgements run here, in order, once the whole batch is durable.
    batch.forEach(w -> w.done().complete(null));
    notifyCommitted();
  }

  /** A group's transaction failed; {@link #state()} says which write, for its callers. */
  private static final class GroupFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient TaskStateException state;

    GroupFailure(TaskStateException state, SQLException cause) {
      super(cause);
      this.state = state;
    }

    TaskStateException state() {
      return state;
    }

    // SQLState class 08: the connection, not a row; writing one run at a time would not help.
    boolean connectionLost() {
      String code = ((SQLException) getCause()).getSQLState();
      return code == null || code.startsWith("08");
    }
  }

  private void transaction(List<Write> batch) throws GroupFailure {
    // What is being written, for the error message (described only on failure).
    Object[] current = {batch.get(0)};
    // A run that starts and ends within one group: its end writes the whole row, skip the start.
    Set<Write> redundant = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<String> endedLater = new HashSet<>();
    for (int i = batch.size() - 1; i >= 0; i--) {
      Write w = batch.get(i);
      if (w.running() && endedLater.contains(w.runId())) {
        redundant.add(w);
      } else if (w.supersedes()) {
        endedLater.add(w.runId());
      }
    }
    try (Connection c = dataSource.getConnection()) {
      boolean batched = upserts(c);
      inTransaction(
          c,
          tx -> {
            // Upserts wait in their JDBC batch; any other write first sends the batches before it,
            // so each run's writes still apply in order (a run's start before its end).
            Map<String, PreparedStatement> pending = new LinkedHashMap<>();
            pending.put(UPSERT_RUNNING, null);
            pending.put(UPSERT_END, null);
            try {
              for (Write w : batch) {
                if (redundant.contains(w)) {
                  continue;
                }
                current[0] = w;
                if (batched && w.upsert() != null) {
                  PreparedStatement s = pending.get(w.upsert().sql());
                  if (s == null) {
                    s = tx.prepareStatement(w.upsert().sql());
                    pending.put(w.upsert().sql(), s);
                  }
                  w.upsert().binder().bind(s);
                  s.addBatch();
                } else {
                  executeBatches(pending, current);
                  w.statements().run(tx);
                }
              }
              executeBatches(pending, current);
            } finally {
              for (PreparedStatement s : pending.values()) {
                if (s != null) {
                  s.close();
                }
              }
            }
          });
    } catch (SQLException e) {
      throw new GroupFailure(
          new TaskStateException(
              current[0] instanceof Write w ? describe(w.what(), w.runId()) : (String) current[0],
              e),
          e);
    }
  }

  private void notifyCommitted() {
    for (Runnable listener : afterCommit) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.error("a run-state commit listener failed", e);
      }
    }
  }

  /** Sends the waiting batches, starts before ends. */
  private static void executeBatches(Map<String, PreparedStatement> pending, Object[] current)
      throws SQLException {
    for (Map.Entry<String, PreparedStatement> e : pending.entrySet()) {
      PreparedStatement s = e.getValue();
      if (s != null) {
        current[0] = "a batch of run-state writes";
        e.setValue(null);
        try (s) {
          s.executeBatch();
        }
      }
    }
  }

  /** PostgreSQL runs the upserts as batches; decided once, from the first connection. */
  private boolean upserts(Connection c) throws SQLException {
    Boolean known = postgres;
    if (known == null) {
      known = "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
      postgres = known;
    }
    return known;
  }

  private static void inTransaction(Connection c, Statements statements) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      statements.run(c);
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  /** Commits what is queued, then stops the writer; later writes fail (their messages requeue). */
  @PreDestroy
  void close() throws InterruptedException {
    closed = true;
    if (writer.isAlive()) {
      writer.join(TimeUnit.SECONDS.toMillis(10));
    }
    // Submitted while closing: fail them rather than leave their callers waiting.
    for (Write w; (w = writes.poll()) != null; ) {
      w.done()
          .completeExceptionally(
              new TaskStateException(
                  describe(w.what(), w.runId()),
                  new SQLException("the run-state writer is closed")));
    }
  }

  public Optional<TaskRun> find(String id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id, task_name, status, attempts, rid, enqueued_at, started_at,"
                    + " finished_at, error FROM task_run WHERE id = ?")) {
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new TaskRun(
                r.getString(1),
                r.getString(2),
                r.getString(3),
                r.getInt(4),
                r.getString(5),
                instant(r, 6),
                instant(r, 7),
                instant(r, 8),
                r.getString(9)));
      }
    } catch (SQLException e) {
      throw new TaskStateException("reading run " + id, e);
    }
  }

  private static String status(Connection c, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT status FROM task_run WHERE id = ?")) {
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  private void update(String sql, String id) {
    if (!enabled) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, id);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new TaskStateException("updating run " + id, e);
    }
  }

  /**
   * Binds the eight columns every row write begins with, in the order of their VALUES; {@code
   * asText} for the PostgreSQL upserts, whose SQL casts text timestamps (see {@link
   * #bindTimestamp}).
   */
  private static void bindRow(
      PreparedStatement s,
      boolean asText,
      String id,
      String name,
      String status,
      int attempts,
      String rid,
      Instant enqueuedAt,
      Instant startedAt,
      Instant updatedAt)
      throws SQLException {
    s.setString(1, id);
    s.setString(2, name);
    s.setString(3, status);
    s.setInt(4, attempts);
    s.setString(5, rid);
    Instant[] times = {enqueuedAt, startedAt, updatedAt};
    for (int i = 0; i < times.length; i++) {
      if (asText) {
        bindTimestamp(s, 6 + i, times[i]);
      } else {
        s.setObject(6 + i, odt(times[i]));
      }
    }
  }

  /**
   * Binds a timestamp of a PostgreSQL upsert (its SQL casts the text): PgJDBC's {@code
   * setObject(OffsetDateTime)} formats through calendars and zone rules, and its large methods kept
   * the C2 compiler busy for seconds of a worker's first minute under load.
   */
  private static void bindTimestamp(PreparedStatement s, int index, Instant instant)
      throws SQLException {
    String text = instant == null ? null : pgTimestamp(instant);
    if (instant == null || text != null) {
      s.setString(index, text);
    } else {
      s.setObject(index, odt(instant));
    }
  }

  /**
   * {@code yyyy-MM-dd HH:mm:ss.ffffff+00}, rounded half up to the microsecond as PgJDBC rounds;
   * null outside years 1-9999.
   */
  static String pgTimestamp(Instant instant) {
    long seconds = instant.getEpochSecond();
    int micros = (instant.getNano() + 500) / 1000;
    if (micros == 1_000_000) {
      seconds++;
      micros = 0;
    }
    long days = Math.floorDiv(seconds, 86_400);
    int secondOfDay = Math.floorMod(seconds, 86_400);
    LocalDate date = LocalDate.ofEpochDay(days);
    int year = date.getYear();
    if (year < 1 || year > 9999) {
      return null;
    }
    char[] c = "0000-00-00 00:00:00.000000+00".toCharArray();
    put(c, 0, year, 4);
    put(c, 5, date.getMonthValue(), 2);
    put(c, 8, date.getDayOfMonth(), 2);
    put(c, 11, secondOfDay / 3600, 2);
    put(c, 14, secondOfDay / 60 % 60, 2);
    put(c, 17, secondOfDay % 60, 2);
    put(c, 20, micros, 6);
    return new String(c);
  }

  private static void put(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  private static OffsetDateTime odt(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet r, int column) throws SQLException {
    OffsetDateTime value = r.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  // An exception's text can carry a credential (a URL with its password, a token in a query):
  // what is stored is what an API caller may be shown, so secrets go before it is written.
  private static String truncate(String error) {
    return TaskRun.bounded(
        SecretRedactor.forProcess().redact(SensitiveParameters.mask(error)), STORED_ERROR_LENGTH);
  }

  /**
   * The run-state table could not be written. Usually the database is away and the message stays
   * unacknowledged for a later try; when {@link #refused()}, the row itself can never be written.
   */
  public static final class TaskStateException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean refused;

    TaskStateException(String what, SQLException cause) {
      super(what + ": " + cause.getMessage(), cause);
      String code = cause.getSQLState();
      // SQLState class 22 (data exception) or 23 (integrity constraint violation): the row's own
      // values are refused, and trying again gives the same answer.
      this.refused = code != null && (code.startsWith("22") || code.startsWith("23"));
    }

    /** Whether the database refused the row's values, so retrying the message cannot help. */
    public boolean refused() {
      return refused;
    }
  }
}
