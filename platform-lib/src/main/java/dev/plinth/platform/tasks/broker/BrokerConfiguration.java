package dev.plinth.platform.tasks.broker;

import dev.plinth.platform.config.PlinthProperties;
import io.micronaut.context.annotation.ConfigurationProperties;

/** {@code plinth.tasks.broker.*}: set from {@code RABBITMQ_*} by the contract. */
@ConfigurationProperties(PlinthProperties.TASKS_BROKER)
public class BrokerConfiguration {
  private String host;
  private int port = 5672;
  private String vhost = "/";
  private String username = "guest";
  private String password = "guest";

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public int getPort() {
    return port;
  }

  public void setPort(int port) {
    this.port = port;
  }

  public String getVhost() {
    return vhost;
  }

  public void setVhost(String vhost) {
    this.vhost = vhost;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  @Override
  public String toString() {
    return "amqp://" + username + "@" + host + ":" + port + vhost;
  }
}
