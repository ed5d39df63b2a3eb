package dev.plinth.platform.dockerflow.http;

import jakarta.inject.Singleton;

/**
 * Whether the process is draining: set once when it is told to stop. From then on {@code
 * /__lbheartbeat__} answers 503, so load balancers take the instance out of rotation while its
 * listener still accepts and its in-flight requests finish (docs/deployment.md, "Stopping").
 */
@Singleton
public final class LoadBalancerDrain {
  private volatile boolean draining;

  /** Starts the drain; it is never undone, the process is on its way out. */
  public void begin() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }
}
