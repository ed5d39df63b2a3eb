import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.plinth.platform.tasks.protocol.CeleryProtocol;
import dev.plinth.platform.tasks.protocol.TaskMessage;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Load driver for bench/tasks.sh. Every mode sends the same Celery protocol v2 messages (Plinth's
 * encoder, the no-op task's kwargs) and stops the clock the same way, so that the raw client, the
 * Plinth worker and Celery are measured alike.
 *
 * <pre>
 * TaskBench publish VHOST QUEUE TASK N RATE [WARMUP]
 *     RATE 0: N messages encoded before the clock starts, published with confirms (one wait per
 *     200), clock stopped when the queue has no ready message left; prints msgs/s. WARMUP
 *     messages are sent and drained first, untimed (JIT, connections, caches of the consumer).
 *     RATE > 0: RATE msgs/s, each encoded when sent (its enqueued_at header is its send time).
 * TaskBench publish VHOST QUEUE TASK N RATE WARMUP driver
 *     as above, but the WARMUP messages go to a throwaway queue: the driver is warm, the consumer
 *     on QUEUE is measured from its first message (a freshly started worker's JIT warm-up)
 * TaskBench raw VHOST QUEUE N PREFETCH [WARMUP]
 *     the raw client's consumer (own connection, basicQos(PREFETCH), manual ack per message, no
 *     decoding) on QUEUE, then the same as "publish QUEUE test.flaky N 0 WARMUP"
 * </pre>
 */
public final class TaskBench {
  public static void main(String[] args) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setVirtualHost(args[1]);
    try (Connection connection = factory.newConnection("plinth-bench")) {
      if (args[0].equals("publish")) {
        int warmup = args.length > 6 ? Integer.parseInt(args[6]) : 0;
        publish(
            connection,
            args[2],
            args[3],
            Integer.parseInt(args[4]),
            Integer.parseInt(args[5]),
            warmup,
            args.length > 7 && args[7].equals("driver"));
      } else {
        int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        try (Connection consumer = factory.newConnection("plinth-bench-raw-consumer")) {
          rawConsumer(consumer, args[2], Integer.parseInt(args[4]));
          publish(connection, args[2], "test.flaky", Integer.parseInt(args[3]), 0, warmup, false);
        }
      }
    }
  }

  static final Map<String, Object> KWARGS = Map.of("key", "bench", "failTimes", 0);

  static CeleryProtocol.Encoded encode(CeleryProtocol protocol, String task) throws IOException {
    TaskMessage m =
        protocol.newMessage(UUID.randomUUID().toString(), task, KWARGS, null, null, null);
    return protocol.encode(m);
  }

  static void publish(
      Connection connection,
      String queue,
      String task,
      int n,
      int rate,
      int warmup,
      boolean driverOnly)
      throws Exception {
    CeleryProtocol protocol = new CeleryProtocol(JsonMapper.createDefault());
    Channel channel = connection.createChannel();
    channel.confirmSelect();
    if (warmup > 0 && driverOnly) {
      // Only this JVM warms up: the consumer under test meets its first message on the clock.
      String sink = channel.queueDeclare().getQueue();
      List<CeleryProtocol.Encoded> messages = encodeAll(protocol, task, warmup);
      for (int i = 0; i < warmup; i++) {
        channel.basicPublish("", sink, messages.get(i).properties(), messages.get(i).body());
        if (i % 200 == 199) {
          channel.waitForConfirmsOrDie(60_000);
        }
      }
      channel.waitForConfirmsOrDie(60_000);
      channel.queueDelete(sink);
    } else if (warmup > 0) {
      timed(channel, queue, encodeAll(protocol, task, warmup), 0, 0, null, null);
      // The last prefetch window may still be unacknowledged: let the consumer finish it.
      TimeUnit.SECONDS.sleep(2);
    }
    List<CeleryProtocol.Encoded> messages = rate > 0 ? null : encodeAll(protocol, task, n);
    double seconds = timed(channel, queue, messages, n, rate, protocol, task);
    System.out.printf("%.0f%n", n / seconds);
  }

  static List<CeleryProtocol.Encoded> encodeAll(CeleryProtocol protocol, String task, int n)
      throws IOException {
    List<CeleryProtocol.Encoded> all = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      all.add(encode(protocol, task));
    }
    return all;
  }

  /**
   * Publishes {@code messages}, or {@code n} encoded when sent at {@code rate}/s, and waits for the
   * drain; returns the seconds from the first publish to the drain.
   */
  static double timed(
      Channel channel,
      String queue,
      List<CeleryProtocol.Encoded> messages,
      int n,
      int rate,
      CeleryProtocol protocol,
      String task)
      throws Exception {
    n = messages != null ? messages.size() : n;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      CeleryProtocol.Encoded e;
      if (messages != null) {
        e = messages.get(i);
      } else {
        long due = start + i * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        e = encode(protocol, task);
      }
      channel.basicPublish("", queue, e.properties(), e.body());
      if (i % 200 == 199) {
        channel.waitForConfirmsOrDie(60_000);
      }
    }
    channel.waitForConfirmsOrDie(60_000);
    // Drained: no ready message left. Up to a prefetch window may still be unacknowledged, so
    // the rate is slightly optimistic for every consumer alike (no management API needed).
    while (channel.queueDeclarePassive(queue).getMessageCount() > 0) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  static void rawConsumer(Connection connection, String queue, int prefetch) throws Exception {
    Channel setup = connection.createChannel();
    setup.queueDeclare(queue, true, false, false, null);
    Channel consumer = connection.createChannel();
    consumer.basicQos(prefetch);
    consumer.basicConsume(
        queue,
        false,
        new DefaultConsumer(consumer) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
              throws IOException {
            getChannel().basicAck(envelope.getDeliveryTag(), false);
          }
        });
  }
}
