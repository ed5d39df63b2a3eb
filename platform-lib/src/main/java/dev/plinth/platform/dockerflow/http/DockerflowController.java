package dev.plinth.platform.dockerflow.http;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.dockerflow.HeartbeatRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.util.StringUtils;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The Dockerflow endpoints, on the public port of every long-running mode. A thin adapter: the
 * checks run in {@link HeartbeatRegistry}, the version file is read by {@link VersionFile}.
 */
@Controller
@Requires(property = PlinthProperties.DOCKERFLOW + ".enabled", notEquals = StringUtils.FALSE)
class DockerflowController {
  private final HeartbeatRegistry heartbeat;
  private final VersionFile versionFile;
  private final LoadBalancerDrain drain;

  DockerflowController(
      HeartbeatRegistry heartbeat, VersionFile versionFile, LoadBalancerDrain drain) {
    this.heartbeat = heartbeat;
    this.versionFile = versionFile;
    this.drain = drain;
  }

  /** Runs every check; 200 while none reports ERROR or worse, 500 otherwise. */
  @Get(uri = "/__heartbeat__", produces = MediaType.APPLICATION_JSON)
  CompletableFuture<HttpResponse<Map<String, Object>>> heartbeat() {
    // Non-blocking: the checks run on the registry's threads, not on the event loop.
    return heartbeat
        .runAsync()
        .thenApply(
            report ->
                HttpResponse.status(HttpStatus.valueOf(report.httpStatus())).body(report.body()));
  }

  /**
   * For the load balancer: answers at once, touches no backing service; 503 while draining. (Probes
   * usually never reach this route: {@link LbHeartbeatHandler} answers them first.)
   */
  @Get(uri = "/__lbheartbeat__")
  HttpResponse<Void> lbheartbeat() {
    return drain.draining()
        ? HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
        : HttpResponse.ok();
  }

  /** The build's version.json, or 404 with a problem body when the image has none. */
  @Get(uri = "/__version__", produces = MediaType.APPLICATION_JSON)
  HttpResponse<?> version() {
    return versionFile
        .contents()
        .<HttpResponse<?>>map(json -> HttpResponse.ok(json).contentType(MediaType.APPLICATION_JSON))
        .orElseGet(
            () ->
                HttpResponse.notFound(missingVersionProblem())
                    .contentType("application/problem+json"));
  }

  // RFC 9457 problem details; keys in their usual order.
  private Map<String, Object> missingVersionProblem() {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", "Not Found");
    problem.put("status", 404);
    problem.put("detail", "This build has no version file (" + versionFile.path() + ").");
    return problem;
  }
}
