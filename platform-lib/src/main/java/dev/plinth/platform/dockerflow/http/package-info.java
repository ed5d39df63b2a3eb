/**
 * The Dockerflow endpoints over HTTP on the public port: {@code /__heartbeat__}, {@code
 * /__lbheartbeat__} (answered in the Netty pipeline) and {@code /__version__}, and the drain flag.
 */
package dev.plinth.platform.dockerflow.http;
