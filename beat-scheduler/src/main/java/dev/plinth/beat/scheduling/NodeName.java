package dev.plinth.beat.scheduling;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Who claimed a run or holds a lock, for people reading the tables: host and process id. */
final class NodeName {
  private NodeName() {}

  static String current() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    return host + "/" + ProcessHandle.current().pid();
  }
}
