import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.plinth.platform.tasks.CeleryProtocol;
import dev.plinth.platform.tasks.TaskMessage;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Load driver for bench/tasks.sh.
 *
 * <pre>
 * TaskBench publish VHOST QUEUE TASK N RATE   Celery v2 messages (Plinth's encoder), confirmed;
 *                                              RATE msgs/s, 0 = as fast as confirms allow; waits
 *                                              until the queue is drained, prints msgs/s
 * TaskBench raw VHOST QUEUE N PREFETCH         raw client: 1 publisher (confirms) + 1 consumer
 *                                              (manual ack) at once; prints msgs/s
 * </pre>
 */
public final class TaskBench {
  public static void main(String[] args) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setVirtualHost(args[1]);
    try (Connection connection = factory.newConnection("plinth-bench")) {
      if (args[0].equals("publish")) {
        publish(connection, args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]));
      } else {
        raw(connection, args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
      }
    }
  }

  static void publish(Connection connection, String queue, String task, int n, int rate)
      throws Exception {
    CeleryProtocol protocol = new CeleryProtocol(JsonMapper.createDefault());
    Channel channel = connection.createChannel();
    channel.confirmSelect();
    Map<String, Object> kwargs = Map.of("key", "bench", "failTimes", 0);
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      if (rate > 0) {
        long due = start + i * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }
      TaskMessage m =
          protocol.newMessage(UUID.randomUUID().toString(), task, kwargs, null, null, null);
      CeleryProtocol.Encoded e = protocol.encode(m);
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
    System.out.printf("%.0f%n", n / ((System.nanoTime() - start) / 1e9));
  }

  static void raw(Connection connection, String queue, int n, int prefetch) throws Exception {
    Channel setup = connection.createChannel();
    setup.queueDeclare(queue, true, false, false, null);
    Channel consumer = connection.createChannel();
    consumer.basicQos(prefetch);
    CountDownLatch done = new CountDownLatch(n);
    consumer.basicConsume(
        queue,
        false,
        new DefaultConsumer(consumer) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
              throws IOException {
            getChannel().basicAck(envelope.getDeliveryTag(), false);
            done.countDown();
          }
        });
    Channel publisher = connection.createChannel();
    publisher.confirmSelect();
    byte[] body = "[[], {\"key\": \"bench\", \"failTimes\": 0}, null]".getBytes();
    AMQP.BasicProperties persistent =
        new AMQP.BasicProperties.Builder().deliveryMode(2).contentType("application/json").build();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      publisher.basicPublish("", queue, persistent, body);
      if (i % 200 == 199) {
        publisher.waitForConfirmsOrDie(60_000);
      }
    }
    publisher.waitForConfirmsOrDie(60_000);
    done.await(10, TimeUnit.MINUTES);
    System.out.printf("%.0f%n", n / ((System.nanoTime() - start) / 1e9));
  }
}
