package dev.plinth.platform.dockerflow.http;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.logging.RequestSummaryLog;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.util.StringUtils;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.micronaut.runtime.server.EmbeddedServer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;

/**
 * Puts {@link LbHeartbeatHandler} into the HTTP/1 pipeline of every connection to the public port
 * (not the management port, where the Dockerflow endpoints do not exist). Off with {@code
 * plinth.dockerflow.lbheartbeat-in-pipeline=false}: the route then answers every probe.
 */
@Singleton
@Requires(property = PlinthProperties.DOCKERFLOW + ".enabled", notEquals = StringUtils.FALSE)
@Requires(property = PlinthProperties.DOCKERFLOW_IN_PIPELINE, notEquals = StringUtils.FALSE)
final class LbHeartbeatPipeline
    implements BeanCreatedEventListener<NettyServerCustomizer.Registry>, NettyServerCustomizer {
  private final @Nullable RequestSummaryLog summaries;
  private final LoadBalancerDrain drain;
  private EmbeddedServer server;

  LbHeartbeatPipeline(@Nullable RequestSummaryLog summaries, LoadBalancerDrain drain) {
    this.summaries = summaries;
    this.drain = drain;
  }

  @Override
  public NettyServerCustomizer.Registry onCreated(
      BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
    NettyServerCustomizer.Registry registry = event.getBean();
    if (registry instanceof EmbeddedServer embedded) {
      server = embedded;
      registry.register(this);
    }
    return registry;
  }

  @Override
  public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
    if (role != ChannelRole.CONNECTION
        || !(channel.localAddress() instanceof InetSocketAddress local)
        || local.getPort() != server.getPort()) {
      return this;
    }
    return new NettyServerCustomizer() {
      @Override
      public void onStreamPipelineBuilt() {
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null) {
          pipeline.addAfter(
              ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC,
              LbHeartbeatHandler.NAME,
              new LbHeartbeatHandler(summaries, drain));
        }
      }
    };
  }
}
