package dev.plinth.platform.config;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A run mode as its own module declares it. The platform holds no list of modes: each mode's {@code
 * Application} names itself and says what it asks of the contract, and {@code APP_RUN_MODE}, when
 * set, must give that name, so a jar started as another mode stops.
 *
 * @param name the mode's name, in capitals, as {@code APP_RUN_MODE} gives it
 * @param needsBroker the mode has nothing to do without a task broker: {@code RABBITMQ_HOST} is
 *     required
 * @param loadBalanced a load balancer routes to the mode: on SIGTERM it waits {@code
 *     APP_SHUTDOWN_DELAY_SECONDS} (5 s by default) for the balancer to see the 503
 * @param properties Micronaut properties the mode sets to switch on its own beans
 */
public record RunMode(
    String name, boolean needsBroker, boolean loadBalanced, Map<String, Object> properties) {
  private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

  public RunMode {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a run mode's name is 1-32 capitals: " + name);
    }
    properties = Map.copyOf(properties);
  }

  /** A mode with nothing asked of the contract: no broker, no load balancer, no properties. */
  public static RunMode named(String name) {
    return new RunMode(name, false, false, Map.of());
  }

  /** This mode, refusing to start without {@code RABBITMQ_HOST}. */
  public RunMode needingBroker() {
    return new RunMode(name, true, loadBalanced, properties);
  }

  /** This mode, behind a load balancer. */
  public RunMode behindLoadBalancer() {
    return new RunMode(name, needsBroker, true, properties);
  }

  /** This mode, setting one more Micronaut property for its beans. */
  public RunMode withProperty(String key, Object value) {
    Map<String, Object> more = new HashMap<>(properties);
    more.put(key, value);
    return new RunMode(name, needsBroker, loadBalanced, more);
  }

  @Override
  public String toString() {
    return name;
  }
}
