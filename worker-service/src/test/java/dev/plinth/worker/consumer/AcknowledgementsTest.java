package dev.plinth.worker.consumer;

import static dev.plinth.platform.tasks.TaskTestSupport.rabbitmqctl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import dev.plinth.platform.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Grouped acknowledgements against the local RabbitMQ: a multiple ack never settles a delivery that
 * is still pending (the broker gives it back when the channel closes), each delivery is settled
 * once (a second ack of a tag would close the channel), and a lost channel's deliveries do not hold
 * back the recovered channel's acknowledgements. Each test has its own vhost.
 */
class AcknowledgementsTest {
  static final int N = 10;

  String vhost;
  Connection connection;
  Channel channel;
  String queue;
  Acknowledgements acks;
  final List<Long> tags = new CopyOnWriteArrayList<>();
  final Map<Long, String> bodies = new ConcurrentHashMap<>();

  @BeforeEach
  void fresh() throws Exception {
    vhost = "plinth-acks-" + UUID.randomUUID().toString().substring(0, 8);
    rabbitmqctl("add_vhost", vhost);
    rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestServices.rabbitmq().host());
    factory.setPort(TestServices.rabbitmq().port());
    factory.setVirtualHost(vhost);
    factory.setAutomaticRecoveryEnabled(true);
    factory.setTopologyRecoveryEnabled(true);
    factory.setNetworkRecoveryInterval(200);
    connection = factory.newConnection("plinth-acks-test");
    queue = "acks";
    try (Channel setup = connection.createChannel()) {
      setup.queueDeclare(queue, true, false, false, null);
      setup.confirmSelect();
      for (int i = 0; i < N; i++) {
        setup.basicPublish(
            "",
            queue,
            MessageProperties.PERSISTENT_BASIC,
            Integer.toString(i).getBytes(StandardCharsets.UTF_8));
      }
      setup.waitForConfirmsOrDie(10_000);
    }
    channel = connection.createChannel();
    acks = new Acknowledgements(channel);
    channel.basicQos(N);
    channel.basicConsume(
        queue,
        false,
        new DefaultConsumer(channel) {
          @Override
          public void handleDelivery(
              String consumerTag, Envelope envelope, AMQP.BasicProperties p, byte[] body) {
            acks.received(envelope.getDeliveryTag());
            tags.add(envelope.getDeliveryTag());
            bodies.put(envelope.getDeliveryTag(), new String(body, StandardCharsets.UTF_8));
          }

          @Override
          public void handleShutdownSignal(String consumerTag, ShutdownSignalException sig) {
            acks.channelLost();
          }
        });
    await().atMost(Duration.ofSeconds(10)).until(() -> tags.size() == N);
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (connection != null && connection.isOpen()) {
      connection.close();
    }
    rabbitmqctl("delete_vhost", vhost);
  }

  /** Closes the consumer channel (the broker requeues what it holds unacknowledged). */
  private void closeConsumer() throws Exception {
    // A round trip first: a double or unknown ack would have closed the channel by now.
    channel.queueDeclarePassive(queue);
    assertThat(channel.isOpen()).as("no ack was refused by the broker").isTrue();
    channel.close();
  }

  private List<String> leftInQueue() throws Exception {
    List<String> left = new ArrayList<>();
    try (Channel reader = connection.createChannel()) {
      for (GetResponse r; (r = reader.basicGet(queue, true)) != null; ) {
        left.add(new String(r.getBody(), StandardCharsets.UTF_8));
      }
    }
    return left;
  }

  @Test
  void aMultipleAckStopsBeforeAPendingDeliveryAndFinishedOnesBehindItAreAckedOneByOne()
      throws Exception {
    long slow = tags.get(2);
    long retried = tags.get(6);
    for (long tag : tags) {
      if (tag != slow && tag != retried) {
        acks.ready(tag);
      }
    }

    assertThat(acks.flush())
        .as("one multiple ack, up to the delivery before the slow one")
        .isEqualTo(tags.get(1));
    acks.ack(retried);
    acks.sweep(); // ready behind the slow one: seen once, not yet acknowledged
    assertThat(acks.unsettled()).isEqualTo(7);
    acks.sweep();
    assertThat(acks.unsettled()).isEqualTo(1);
    assertThat(acks.sent()).containsExactly(1L, 7L);
    closeConsumer();

    // Only the delivery still running when the channel closed comes back.
    assertThat(leftInQueue()).containsExactly(bodies.get(slow));
  }

  @Test
  void deliveriesFinishingOutOfOrderAreAckedByOneMultipleAckOnceTheFirstIsReady() throws Exception {
    for (int i = N - 1; i >= 1; i--) {
      acks.ready(tags.get(i));
      assertThat(acks.flush()).isZero();
    }
    acks.ready(tags.get(0));
    assertThat(acks.flush()).isEqualTo(tags.get(N - 1));
    assertThat(acks.sent()).containsExactly(1L, 0L);
    closeConsumer();

    assertThat(leftInQueue()).isEmpty();
  }

  @Test
  void requeuedAndFailedDeliveriesAreSettledOnceAndTheRestStillGroups() throws Exception {
    acks.requeue(tags.get(0)); // e.g. a success whose state could not be recorded
    acks.ack(tags.get(1)); // e.g. a retry, confirmed
    for (int i = 2; i < N; i++) {
      acks.ready(tags.get(i));
    }
    assertThat(acks.flush()).isEqualTo(tags.get(N - 1));
    // Redelivered to this consumer at once: nothing else is left to deliver or to requeue. The
    // redelivery may arrive before or after the flush returns, so it is counted only once here.
    await().atMost(Duration.ofSeconds(10)).until(() -> tags.size() == N + 1);
    assertThat(acks.unsettled()).as("only the redelivery").isEqualTo(1);
    long again = tags.get(N);
    assertThat(bodies.get(again)).isEqualTo("0");
    acks.ready(again);
    assertThat(acks.flush()).isEqualTo(again);
    closeConsumer();

    assertThat(leftInQueue()).isEmpty();
  }

  @Test
  void deliveriesOfALostChannelDoNotHoldBackTheRecoveredOne() throws Exception {
    List<Long> before = List.copyOf(tags);
    // Half of them finished before the connection is lost, the rest are still running.
    for (int i = 0; i < N / 2; i++) {
      acks.ready(before.get(i));
    }
    rabbitmqctl("close_all_connections", "-p", vhost, "plinth test: broker loss");

    // Recovered: all of them are delivered again on the new channel, with higher tags.
    await().atMost(Duration.ofSeconds(30)).until(() -> tags.size() == 2 * N);
    List<Long> after = tags.subList(N, 2 * N);
    assertThat(after.get(0)).isGreaterThan(before.get(N - 1));
    // The old channel's running deliveries finish now: they are not this channel's to ack.
    for (int i = N / 2; i < N; i++) {
      acks.ready(before.get(i));
    }
    assertThat(acks.flush()).isZero();
    for (long tag : after) {
      acks.ready(tag);
    }

    assertThat(acks.flush()).isEqualTo(after.get(N - 1));
    assertThat(acks.unsettled()).isZero();
    closeConsumer();
    assertThat(leftInQueue()).isEmpty();
  }
}
