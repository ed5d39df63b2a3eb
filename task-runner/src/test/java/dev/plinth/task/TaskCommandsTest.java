package dev.plinth.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.plinth.platform.tasks.TasksConfiguration;
import dev.plinth.platform.tasks.broker.BrokerClient;
import dev.plinth.platform.tasks.broker.ControlMailbox;
import dev.plinth.platform.testing.FreePorts;
import dev.plinth.platform.testing.PostgresTestDatabase;
import dev.plinth.platform.testing.PouchDbServer;
import dev.plinth.platform.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each command run as a process, as an operator or an orchestrator runs it. */
class TaskCommandsTest {
  private static final String CONTEXT_CLASS = "io.micronaut.context.DefaultApplicationContext ";

  @TempDir Path dataDir;

  private Map<String, String> env() {
    return TaskProcess.baseEnvironment(dataDir);
  }

  /** The command's own error output: one line, no stack trace (log lines are mozlog's). */
  private static void assertNoStackTrace(TaskProcess.Result result) {
    assertThat(result.stderr()).doesNotContain("\tat ").doesNotContain("Exception in thread");
    assertThat(result.stderr().lines().filter(l -> l.startsWith("plinth: ")).count())
        .isLessThanOrEqualTo(1);
  }

  @Test
  void helpOnEveryCommandAndUsageErrorsExitTwo() throws Exception {
    TaskProcess.Result help = TaskProcess.run(env(), "--help");
    assertThat(help.exit()).as(help.toString()).isZero();
    assertThat(help.stdout())
        .contains("migrate", "check", "config", "run", "enqueue", "dead-letters", "notes");

    TaskProcess.Result sub = TaskProcess.run(env(), "dead-letters", "requeue", "--help");
    assertThat(sub.exit()).as(sub.toString()).isZero();
    assertThat(sub.stdout()).contains("Usage: plinth-task dead-letters requeue");

    TaskProcess.Result unknown = TaskProcess.run(env(), "frobnicate");
    assertThat(unknown.exit()).as(unknown.toString()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("plinth: Unmatched argument at index 0: 'frobnicate'");
    assertNoStackTrace(unknown);

    TaskProcess.Result completion = TaskProcess.run(env(), "completion");
    assertThat(completion.exit()).isZero();
    assertThat(completion.stdout()).contains("complete -F").contains("dead-letters");
  }

  @Test
  void configPrintsEveryVariableAndNeverASecret() throws Exception {
    Map<String, String> env = env();
    env.put("APP_DEBUG", "false");
    env.put("APP_SECRET_KEY", "key-1234567890-abcdefghij");
    env.put("DATABASE_HOST", "db.internal");
    env.put("DATABASE_PASSWORD", "pg-password-42");
    env.put("RABBITMQ_HOST", "mq.internal");
    env.put("RABBITMQ_PASSWORD", "mq-password-43");
    env.put("SENTRY_DSN", "https://abc123@sentry.example/1");
    env.put("SESSION_REDIS_HOST", "sessions.internal");
    env.put("SESSION_REDIS_TLS", "true");
    env.put("SESSION_REDIS_PASSWORD", "redis-password-44");
    TaskProcess.Result result = TaskProcess.run(env, "config");
    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.stdout())
        .containsPattern("DATABASE_HOST +db.internal")
        .containsPattern("DATABASE_PASSWORD +\\*{8}")
        .containsPattern("APP_SECRET_KEY +\\*{8}")
        .containsPattern("RABBITMQ_PASSWORD +\\*{8}")
        .containsPattern("SENTRY_DSN +\\*{8}")
        .containsPattern("CACHE_REDIS_HOST +\\(unset\\)")
        .containsPattern("SESSION_REDIS_PASSWORD +\\*{8}")
        .containsPattern("session +rediss://sessions.internal:6379/0 \\(AUTH as default\\)");
    assertThat(result.all())
        .doesNotContain("key-1234567890-abcdefghij")
        .doesNotContain("pg-password-42")
        .doesNotContain("mq-password-43")
        .doesNotContain("redis-password-44")
        .doesNotContain("abc123");
  }

  @Test
  void configOnItsOwnStartsNoApplicationContextAndInAListRunsInTheContext() throws Exception {
    Path alone = dataDir.resolve("alone-classes.log");
    Map<String, String> env = env();
    env.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + alone);
    TaskProcess.Result result = TaskProcess.run(env, "config");
    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.stdout()).containsPattern("APP_DATA_DIR +" + dataDir);
    assertThat(Files.readString(alone)).doesNotContain(CONTEXT_CLASS);

    Path inList = dataDir.resolve("list-classes.log");
    env.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + inList);
    env.put("APP_TASK_LIST", "config; migrate apply");
    TaskProcess.Result listed = TaskProcess.run(env);
    assertThat(listed.exit()).as(listed.toString()).isZero();
    assertThat(listed.stdout()).containsPattern("APP_DATA_DIR +" + dataDir);
    assertThat(Files.readString(inList)).contains(CONTEXT_CLASS);
  }

  @Test
  void checkFailsWhenTheDatabaseIsUnreachable() throws Exception {
    Map<String, String> env = env();
    env.put("DATABASE_HOST", "127.0.0.1");
    env.put("DATABASE_PORT", Integer.toString(FreePorts.pick()));
    env.put("DATABASE_NAME", "nothing_listens_here");
    TaskProcess.Result result = TaskProcess.run(env, "check");
    assertThat(result.exit()).as(result.toString()).isEqualTo(1);
    assertThat(result.stdout()).containsPattern("database +error +plinth\\.database\\.E");
    assertNoStackTrace(result);
  }

  @Test
  void migrateThenCheckOnAFreshPostgresDatabaseAndTheExampleCommandWithProgress() throws Exception {
    try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
      Map<String, String> env = env();
      env.putAll(db.environment());
      env.put(
          "APP_TASK_LIST",
          "migrate info; migrate apply; migrate validate; check;"
              + " notes seed --count 1200; notes tidy --batch 100 --log-every 0");
      TaskProcess.Result result = TaskProcess.run(env);
      // `migrate info` with pending migrations fails: the list stops there, nothing else ran.
      assertThat(result.exit()).as(result.toString()).isEqualTo(1);
      assertThat(result.stdout()).contains("Pending").doesNotContain("applied");

      env.put(
          "APP_TASK_LIST",
          "migrate apply; migrate validate; migrate info; check;"
              + " notes seed --count 1200; notes tidy --batch 100 --log-every 0");
      result = TaskProcess.run(env);
      assertThat(result.exit()).as(result.toString()).isZero();
      assertThat(result.stdout())
          .containsPattern("applied \\d+ migration\\(s\\)")
          .contains("migrations valid", "0 pending")
          .containsPattern("database +ok")
          .contains("created 1200 note(s)", "tidied 1200 of 1200 note(s)");
      // Not a terminal: progress comes as log lines, not a bar.
      assertThat(result.stdout()).contains("command.progress notes.tidy");
      assertThat(result.all()).doesNotContain("\r");
    }
  }

  @Test
  void migrateApplyCreatesTheCouchDbDatabaseAndCheckSeesIt() throws Exception {
    try (PouchDbServer couch = PouchDbServer.start()) {
      couch.addAdmin("plinth", "couch-secret-1");
      Map<String, String> env = env();
      env.putAll(couch.environment("plinth_docs", "plinth", "couch-secret-1"));
      TaskProcess.Result before = TaskProcess.run(env, "check");
      assertThat(before.exit()).as(before.toString()).isEqualTo(1);
      assertThat(before.stdout()).containsPattern("couchdb +error +plinth\\.couchdb\\.E003");

      TaskProcess.Result applied = TaskProcess.run(env, "migrate", "apply");
      assertThat(applied.exit()).as(applied.toString()).isZero();
      assertThat(applied.stdout()).contains("couchdb: database plinth_docs ready");
      assertThat(couch.send("GET", "/plinth_docs", null, "plinth:couch-secret-1").statusCode())
          .isEqualTo(200);
      TaskProcess.Result after = TaskProcess.run(env, "check");
      assertThat(after.exit()).as(after.toString()).isZero();
      assertThat(after.stdout()).containsPattern("couchdb +ok");
      assertThat(before.all() + applied.all() + after.all()).doesNotContain("couch-secret-1");
    }
  }

  @Test
  void tokenPrintsAJwtSignedWithTheSecretThatWebChecks() throws Exception {
    String secret = "an-hs256-secret-of-at-least-32-characters!";
    Map<String, String> env = env();
    env.put("APP_JWT_SECRET", secret);
    env.put("APP_JWT_ISSUER", "https://issuer.test");
    env.put("APP_JWT_AUDIENCE", "plinth-api");
    TaskProcess.Result result =
        TaskProcess.run(env, "token", "--subject", "alice", "--role", "exports", "--ttl", "10m");
    assertThat(result.exit()).as(result.toString()).isZero();
    // Its own line of stdout, among the log lines.
    String printed =
        result
            .stdout()
            .lines()
            .filter(line -> line.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no token in " + result));
    com.nimbusds.jwt.SignedJWT jwt = com.nimbusds.jwt.SignedJWT.parse(printed);
    assertThat(
            jwt.verify(
                new com.nimbusds.jose.crypto.MACVerifier(
                    secret.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
        .isTrue();
    com.nimbusds.jwt.JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo("alice");
    assertThat(claims.getStringListClaim("roles")).containsExactly("exports");
    assertThat(claims.getIssuer()).isEqualTo("https://issuer.test");
    assertThat(claims.getAudience()).containsExactly("plinth-api");
    assertThat(claims.getExpirationTime().toInstant())
        .isBetween(
            java.time.Instant.now().plusSeconds(500), java.time.Instant.now().plusSeconds(601));
    assertThat(result.all()).doesNotContain(secret);

    Map<String, String> without = env();
    TaskProcess.Result refused = TaskProcess.run(without, "token", "--subject", "alice");
    assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.all()).contains("token needs APP_JWT_SECRET");
    assertNoStackTrace(refused);
  }

  @Test
  void accountMakesLoginAccountsWithHashedPasswordsReadFromStdinNeverArguments() throws Exception {
    String password = "correct horse battery";
    byte[] stdin = (password + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
      Map<String, String> env = env();
      env.putAll(db.environment());
      env.put(
          "APP_TASK_LIST",
          "migrate apply; account add alice --name 'Alice Liddell' --role exports"
              + " --password-stdin; account list");
      TaskProcess.Result added = TaskProcess.runWithInput(env, stdin, new String[0]);
      assertThat(added.exit()).as(added.toString()).isZero();
      assertThat(added.stdout())
          .contains("account alice added (Alice Liddell; roles exports)")
          .contains("alice\tAlice Liddell\texports")
          .contains("1 account");
      assertThat(added.all()).doesNotContain(password);
      try (java.sql.Connection c = db.connect();
          java.sql.ResultSet r =
              c.createStatement()
                  .executeQuery(
                      "SELECT password_hash FROM login_account WHERE username = 'alice'")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).startsWith("$2a$12$").doesNotContain(password);
      }

      env.put("APP_TASK_LIST", "account add alice --password-stdin");
      TaskProcess.Result taken = TaskProcess.runWithInput(env, stdin, new String[0]);
      assertThat(taken.exit()).as(taken.toString()).isEqualTo(1);
      assertThat(taken.all()).contains("account alice exists already");
      assertNoStackTrace(taken);

      env.remove("APP_TASK_LIST");
      TaskProcess.Result tooShort =
          TaskProcess.runWithInput(
              env,
              "short\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
              "account",
              "password",
              "alice",
              "--password-stdin");
      assertThat(tooShort.exit()).as(tooShort.toString()).isEqualTo(1);
      assertThat(tooShort.all()).contains("the password: at least 10 characters");
      // No terminal to ask at, no --password-stdin: refused, never a password argument.
      TaskProcess.Result noTerminal = TaskProcess.run(env, "account", "add", "bob");
      assertThat(noTerminal.exit()).as(noTerminal.toString()).isEqualTo(1);
      assertThat(noTerminal.all()).contains("no terminal to ask for the password on");

      env.put("APP_TASK_LIST", "account remove alice; account list");
      TaskProcess.Result removed = TaskProcess.run(env);
      assertThat(removed.exit()).as(removed.toString()).isZero();
      assertThat(removed.stdout()).contains("account alice removed", "0 accounts");
    }
  }

  @Test
  void aTaskListStopsAtTheFirstFailureWithItsStatus() throws Exception {
    Map<String, String> env = env();
    env.put(
        "APP_TASK_LIST",
        "migrate apply; config; run test.shout --payload '{\"text\": \"\"}'; config");
    TaskProcess.Result failed = TaskProcess.run(env);
    assertThat(failed.exit()).as(failed.toString()).isEqualTo(1);
    assertThat(failed.stdout().split("VARIABLE ", -1)).hasSize(2); // config ran once
    assertThat(failed.stderr()).contains("plinth: run: test.shout").contains("nothing to shout");
    assertNoStackTrace(failed);

    env.put(
        "APP_TASK_LIST", "run test.shout --payload '{\"text\": \"hi\"}'; migrate bogus; config");
    TaskProcess.Result usage = TaskProcess.run(env);
    assertThat(usage.exit()).as(usage.toString()).isEqualTo(2);
    assertThat(usage.stdout()).contains("{\"text\":\"HI\"}").doesNotContain("VARIABLE");
    assertThat(usage.stderr()).contains("plinth: Unmatched argument at index 1: 'bogus'");
  }

  @Test
  void sigtermInterruptsTheRunningCommandWhichCleansUpAndTheProcessExits143() throws Exception {
    Path marker = dataDir.resolve("linger.txt");
    Map<String, String> env = env();
    env.put("APP_SHUTDOWN_GRACE_SECONDS", "60");
    TaskProcess.Result migrated = TaskProcess.run(env, "migrate", "apply");
    assertThat(migrated.exit()).as(migrated.toString()).isZero();
    TaskProcess.Running running =
        TaskProcess.start(
            env, "run", "test.linger", "--payload", "{\"marker\": \"" + marker + "\"}");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Files.exists(marker) && Files.readString(marker).contains("started"));

    // SIGTERM through the handle: Process.destroy() would also close our end of its output.
    running.process().toHandle().destroy();
    TaskProcess.Result result = running.waitForExit();

    assertThat(result.exit()).as(result.toString()).isEqualTo(143);
    assertThat(Files.readString(marker)).isEqualTo("started\ncleaned up\n");
    assertThat(result.stdout()).contains("command.interrupted");
    assertThat(result.stdout()).doesNotContain("command.grace.expired");
  }

  @Test
  void enqueueAndDeadLettersOnRabbitMq() throws Exception {
    String queue = "plinth-task-test-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = env();
    env.putAll(TestServices.brokerVariables());
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestServices.rabbitmq().host());
    factory.setPort(TestServices.rabbitmq().port());
    try (Connection broker = factory.newConnection("task-commands-test");
        Channel channel = broker.createChannel()) {
      TaskProcess.Result migrated = TaskProcess.run(env, "migrate", "apply");
      assertThat(migrated.exit()).as(migrated.toString()).isZero();
      TaskProcess.Result enqueued =
          TaskProcess.run(
              env,
              "enqueue",
              "test.shout",
              "--payload",
              "{\"text\": \"later\"}",
              "--queue",
              queue,
              "--delay",
              "0s");
      assertThat(enqueued.exit()).as(enqueued.toString()).isZero();
      // The output line among the context's log lines (JSON): the last that is not one.
      String id =
          enqueued
              .stdout()
              .strip()
              .lines()
              .filter(l -> !l.startsWith("{"))
              .reduce((a, b) -> b)
              .orElseThrow();
      var message = channel.basicGet(queue, true);
      assertThat(message).as("the enqueued message is on " + queue).isNotNull();
      assertThat(message.getProps().getHeaders().get("id").toString()).isEqualTo(id);

      // revoke broadcasts on Celery's control exchange, where every worker's mailbox is bound.
      String mailbox = channel.queueDeclare().getQueue();
      channel.exchangeDeclare(
          ControlMailbox.EXCHANGE, com.rabbitmq.client.BuiltinExchangeType.FANOUT, false);
      channel.queueBind(mailbox, ControlMailbox.EXCHANGE, "");
      TaskProcess.Result revoked = TaskProcess.run(env, "revoke", id, "--terminate");
      assertThat(revoked.exit()).as(revoked.toString()).isZero();
      assertThat(revoked.stdout()).contains("revoked 1");
      var command = channel.basicGet(mailbox, true);
      assertThat(command).as("the revoke broadcast").isNotNull();
      assertThat(new String(command.getBody(), StandardCharsets.UTF_8))
          .contains("\"method\":\"revoke\"", id, "\"terminate\":true");

      // A dead letter as the worker writes it; list leaves it, requeue moves it back, purge
      // empties.
      Map<String, Object> headers = new HashMap<>(message.getProps().getHeaders());
      headers.put("plinth_dead_reason", "max-retries");
      headers.put("plinth_dead_error", "boom");
      headers.put("plinth_dead_queue", queue);
      String dead = BrokerClient.deadLetterQueue(queue);
      channel.basicPublish(
          "", dead, message.getProps().builder().headers(headers).build(), message.getBody());
      channel.basicPublish(
          "",
          dead,
          new AMQP.BasicProperties.Builder().headers(Map.of("id", "x", "task", "t")).build(),
          "[]".getBytes(StandardCharsets.UTF_8));

      env.put(
          "APP_TASK_LIST",
          "dead-letters list --queue "
              + queue
              + "; dead-letters requeue --queue "
              + queue
              + " --limit 1; dead-letters purge --queue "
              + queue);
      TaskProcess.Result result = TaskProcess.run(env);
      assertThat(result.exit()).as(result.toString()).isZero();
      assertThat(result.stdout())
          .containsPattern(id + " +test.shout +max-retries +boom")
          .contains("2 dead letter(s) in " + dead)
          .contains("requeued 1 dead letter(s)")
          .contains("purged 1 dead letter(s)");
      var requeued = channel.basicGet(queue, true);
      assertThat(requeued).isNotNull();
      assertThat(requeued.getProps().getHeaders()).doesNotContainKey("plinth_dead_reason");
    } finally {
      try (Connection broker = factory.newConnection("task-commands-cleanup");
          Channel channel = broker.createChannel()) {
        channel.queueDelete(queue);
        channel.queueDelete(BrokerClient.deadLetterQueue(queue));
        channel.exchangeDelete(queue);
        for (Duration bucket : new TasksConfiguration().getDelayBuckets()) {
          channel.queueDelete(BrokerClient.waitQueue(queue, bucket));
        }
      }
    }
  }
}
