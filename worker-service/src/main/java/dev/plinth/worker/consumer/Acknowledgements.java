package dev.plinth.worker.consumer;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unsettled deliveries of one consumer channel, and their acknowledgement: many successes with
 * one {@code basic.ack multiple=true} instead of one {@code basic.ack} each (fewer frames, and less
 * broker CPU per task).
 *
 * <p>A multiple ack of tag {@code M} settles every delivery of the channel up to {@code M} that is
 * still unacknowledged. So every delivery is recorded here when it arrives ({@link #received}), in
 * tag order, and stays <em>pending</em> until it is either {@link #ready} (its success is durable:
 * the only state a multiple ack may cover) or settled one by one ({@link #ack}, {@link #requeue}:
 * retries, dead letters, duplicates, poison, failures). A multiple ack goes only up to the last
 * ready delivery before the first pending one, so it never covers a message still running, held for
 * its eta, waiting for its retry to be confirmed, or not yet recorded. Ready deliveries behind a
 * pending one (a slow task with a lower tag) are acknowledged one by one by {@link #sweep} once
 * they have waited one sweep, so a long task does not hold a prefetch window of finished ones.
 *
 * <p>Each delivery is settled exactly once (a second ack of a tag is a channel error): a delivery
 * settled one by one stays pending until its frame was sent, and the multiple acks and the sweep's
 * single acks are sent under this object's lock, after the deliveries they cover left the record.
 *
 * <p>Channel loss: every delivery of the lost channel is redelivered by the broker, and the client
 * drops acknowledgements of its tags (they are below the recovered channel's tag offset). {@link
 * #channelLost} forgets them, so that a task of the dead channel still running does not hold back
 * the acknowledgements of the new one; its later {@link #ready} is ignored.
 */
final class Acknowledgements {
  private static final Logger LOG = LoggerFactory.getLogger(Acknowledgements.class);

  /** Ready deliveries waiting for a flush before {@link #readyAndFlushSometimes} flushes. */
  static final int FLUSH_EVERY = 64;

  private enum State {
    PENDING,
    READY,
    SETTLED
  }

  private static final class Delivery {
    final long tag;
    State state = State.PENDING;

    /** Ready behind a pending delivery and seen so by one sweep already. */
    boolean waited;

    Delivery(long tag) {
      this.tag = tag;
    }
  }

  private final Channel channel;
  // Both guarded by this; `order` holds the unsettled deliveries in tag order.
  private final ArrayDeque<Delivery> order = new ArrayDeque<>();
  private final Map<Long, Delivery> byTag = new HashMap<>();
  private int readySinceFlush;
  private long multipleAcks;
  private long singleAcks;

  Acknowledgements(Channel channel) {
    this.channel = channel;
  }

  /** A delivery arrived (call in delivery order, before it is handed to a handler thread). */
  synchronized void received(long tag) {
    Delivery d = new Delivery(tag);
    order.addLast(d);
    byTag.put(tag, d);
  }

  /**
   * The delivery's success is durable: a later {@link #flush} may acknowledge it. A tag this record
   * does not hold (its channel was lost) is ignored.
   */
  synchronized void ready(long tag) {
    Delivery d = byTag.get(tag);
    if (d != null && d.state == State.PENDING) {
      d.state = State.READY;
      readySinceFlush++;
    }
  }

  /**
   * {@link #ready}, then a flush when the handler threads have nothing queued ({@code idle}) or
   * {@link #FLUSH_EVERY} deliveries became ready since the last flush. For successes that are
   * durable at once (run state not recorded): the handler thread acknowledges in groups.
   */
  synchronized void readyAndFlushSometimes(long tag, boolean idle) {
    ready(tag);
    if (idle || readySinceFlush >= FLUSH_EVERY) {
      flush();
    }
  }

  /** Acknowledges one delivery that is not a durable success (retry, dead letter, duplicate). */
  void ack(long tag) throws IOException {
    channel.basicAck(tag, false);
    settled(tag, true);
  }

  /** Gives one delivery back to the broker; the broker requeues it when the channel is gone. */
  void requeue(long tag) {
    try {
      if (channel.isOpen()) {
        channel.basicNack(tag, false, true);
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("requeue failed; the broker requeues it when the channel closes", e);
    } finally {
      settled(tag, false);
    }
  }

  private synchronized void settled(long tag, boolean acked) {
    Delivery d = byTag.remove(tag);
    if (d != null) {
      d.state = State.SETTLED;
      if (acked) {
        singleAcks++;
      }
    }
  }

  /**
   * Acknowledges with one multiple ack every ready delivery before the first pending one. Returns
   * the tag acknowledged up to, or 0.
   */
  synchronized long flush() {
    readySinceFlush = 0;
    Delivery last = null;
    for (Delivery d; (d = order.peekFirst()) != null && d.state != State.PENDING; ) {
      order.pollFirst();
      if (d.state == State.READY) {
        byTag.remove(d.tag);
        last = d;
      }
    }
    if (last == null) {
      return 0;
    }
    try {
      channel.basicAck(last.tag, true);
      multipleAcks++;
    } catch (IOException | RuntimeException e) {
      // The channel is gone: the broker redelivers these, and their runs are recorded succeeded.
      LOG.debug("acknowledging deliveries up to {} failed", last.tag, e);
    }
    return last.tag;
  }

  /**
   * {@link #flush}, then acknowledges one by one the ready deliveries behind a pending one that
   * were already there at the previous sweep (run it periodically).
   */
  synchronized void sweep() {
    flush();
    settleBehindPending(false);
  }

  /** At shutdown, before the channel closes: acknowledges every ready delivery. */
  synchronized void settleReady() {
    flush();
    settleBehindPending(true);
  }

  private void settleBehindPending(boolean all) {
    for (var it = order.iterator(); it.hasNext(); ) {
      Delivery d = it.next();
      if (d.state == State.SETTLED) {
        it.remove();
      } else if (d.state == State.READY) {
        if (!all && !d.waited) {
          d.waited = true;
          continue;
        }
        it.remove();
        byTag.remove(d.tag);
        d.state = State.SETTLED;
        try {
          channel.basicAck(d.tag, false);
          singleAcks++;
        } catch (IOException | RuntimeException e) {
          LOG.debug("acknowledging delivery {} failed", d.tag, e);
        }
      }
    }
  }

  /**
   * The channel was lost (call it after the client delivered everything it had for the old channel,
   * i.e. from the consumer's {@code handleShutdownSignal}): forget its deliveries.
   */
  synchronized void channelLost() {
    order.clear();
    byTag.clear();
    readySinceFlush = 0;
  }

  /** Deliveries not yet settled. */
  synchronized int unsettled() {
    return byTag.size();
  }

  /** Multiple acks and single acks sent so far (for tests and the stop log line). */
  synchronized long[] sent() {
    return new long[] {multipleAcks, singleAcks};
  }
}
