package dev.plinth.platform.tasks.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group commit behind {@link TaskRuns}: one thread commits whatever writes have queued up since
 * its last commit in ONE transaction, so many runs' states cost one WAL flush. On PostgreSQL the
 * writes that are upserts go as JDBC batches, in {@code batchOrder}. A caller learns its write is
 * durable from the returned future; a group that fails is written again one write at a time.
 */
final class RunStateWriter {
  private static final Logger LOG = LoggerFactory.getLogger(RunStateWriter.class);

  /** The most writes committed in one transaction. */
  static final int MAX_BATCH = 512;

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
  record Upsert(String sql, Binder binder) {}

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

  private final DataSource dataSource;
  private final List<String> batchOrder;
  private final BlockingQueue<Write> writes = new LinkedBlockingQueue<>();
  private final List<Runnable> afterCommit = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean closed;
  private volatile Boolean postgres;

  /** Starts the writer thread on {@code dataSource}; upsert batches run in {@code batchOrder}. */
  RunStateWriter(DataSource dataSource, List<String> batchOrder) {
    this.dataSource = dataSource;
    this.batchOrder = List.copyOf(batchOrder);
    this.thread = new Thread(this::writeLoop, "plinth-task-state-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Runs {@code listener} on the writer thread after each group commit (or its failure). */
  void afterCommit(Runnable listener) {
    afterCommit.add(listener);
  }

  CompletableFuture<Void> submit(
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
  static String describe(String what, String runId) {
    return runId == null ? what : "recording run " + runId + " as " + what;
  }

  /** Completes when every write submitted before this call is committed (or failed). */
  void flush() {
    if (!closed) {
      submit("flushing", null, false, false, null, c -> {}).exceptionally(e -> null).join();
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
            for (String sql : batchOrder) {
              pending.put(sql, null);
            }
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

  static void inTransaction(Connection c, Statements statements) throws SQLException {
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

  /** Commits what is queued, then stops; later writes fail (their messages requeue). */
  void close() throws InterruptedException {
    closed = true;
    if (thread.isAlive()) {
      thread.join(TimeUnit.SECONDS.toMillis(10));
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
}
