package dev.plinth.worker;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.tasks.TaskOptions;
import dev.plinth.platform.tasks.TaskQueue;
import dev.plinth.platform.tasks.TaskRun;
import dev.plinth.platform.tasks.TaskTestSupport;
import dev.plinth.platform.tasks.state.TaskRuns;
import dev.plinth.platform.testing.TcpProxy;
import dev.plinth.platform.testing.TestModes;
import dev.plinth.platform.testing.TestServices;
import dev.plinth.platform.testing.tls.TestCertificates;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WEB enqueues and a WORKER consumes through a TLS endpoint only (Amazon MQ's shape: AMQPS on
 * 5671, here a terminating proxy with a test authority's certificate in front of the local broker).
 */
class WorkerTlsTest {
  @Test
  void aTaskEnqueuedOverTlsIsRunByAWorkerConsumingOverTls(@TempDir Path dir) throws Exception {
    TestCertificates authority = TestCertificates.authority(dir, "Plinth test CA");
    TestServices.Endpoint rabbit = TestServices.rabbitmq();
    String queue = TaskTestSupport.uniqueQueue("plinth-worker-tls");
    String db = TaskTestSupport.freshDatabase();
    try (TcpProxy amqps =
            TcpProxy.startTls(
                rabbit.host(),
                rabbit.port(),
                authority.issue("broker", "DNS:localhost").serverContext());
        Connection admin = TaskTestSupport.rabbit()) {
      Map<String, String> env = TaskTestSupport.environment(db, queue);
      env.put("RABBITMQ_HOST", "localhost");
      env.put("RABBITMQ_PORT", String.valueOf(amqps.port()));
      env.put("RABBITMQ_TLS", "true");
      env.put("APP_CA_BUNDLE", authority.certificatePem());
      try (ApplicationContext worker =
              PlinthApplication.builder(Application.MODE, Application.class, env).start();
          ApplicationContext web =
              PlinthApplication.builder(TestModes.WEB, WorkerTlsTest.class, env).start()) {
        String id =
            web.getBean(TaskQueue.class)
                .enqueue(TestTasks.ECHO, new TestTasks.Echo("over TLS", 0), TaskOptions.defaults());
        TaskRuns runs = worker.getBean(TaskRuns.class);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    runs.find(id).map(run -> TaskRun.SUCCEEDED.equals(run.status())).orElse(false));
      } finally {
        TaskTestSupport.deleteTopology(admin, queue);
      }
    }
  }
}
