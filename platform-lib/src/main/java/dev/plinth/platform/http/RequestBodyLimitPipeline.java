package dev.plinth.platform.http;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import jakarta.inject.Singleton;

/** Puts {@link RequestBodyLimitHandler} right after the HTTP codec of every connection. */
@Singleton
final class RequestBodyLimitPipeline
    implements BeanCreatedEventListener<NettyServerCustomizer.Registry>, NettyServerCustomizer {
  private final RequestBodyLimits limits;

  RequestBodyLimitPipeline(RequestBodyLimits limits) {
    this.limits = limits;
  }

  @Override
  public NettyServerCustomizer.Registry onCreated(
      BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
    event.getBean().register(this);
    return event.getBean();
  }

  @Override
  public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
    if (role != ChannelRole.CONNECTION) {
      return this;
    }
    return new NettyServerCustomizer() {
      @Override
      public void onStreamPipelineBuilt() {
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null
            && pipeline.get(RequestBodyLimitHandler.NAME) == null) {
          pipeline.addAfter(
              ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC,
              RequestBodyLimitHandler.NAME,
              new RequestBodyLimitHandler(limits));
        }
      }
    };
  }
}
