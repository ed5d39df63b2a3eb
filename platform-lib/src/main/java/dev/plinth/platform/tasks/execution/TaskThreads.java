package dev.plinth.platform.tasks.execution;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The task layer's threads, named so that a thread dump says what each one does. */
public final class TaskThreads {
  private TaskThreads() {}

  /** {@code size} threads named {@code prefix-N}, taking work from {@code queue}. */
  public static ThreadPoolExecutor pool(
      int size, BlockingQueue<Runnable> queue, String prefix, boolean daemon) {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(
        size,
        size,
        0,
        TimeUnit.MILLISECONDS,
        queue,
        r -> {
          Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
          t.setDaemon(daemon);
          return t;
        });
  }

  /** One daemon thread for delays and periodic work. Cancelled tasks leave its queue at once. */
  public static ScheduledExecutorService timer(String name) {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
