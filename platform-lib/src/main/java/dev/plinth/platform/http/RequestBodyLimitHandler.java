package dev.plinth.platform.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Holds each request body to its route's limit ({@link RequestBodyLimits}), in the Netty pipeline
 * before Micronaut reads any of it. A request whose {@code Content-Length} is over the limit is
 * answered 413 with a problem body at once and its body is never read; a body sent without a length
 * that grows past the limit closes the connection, since the route may already be reading it. One
 * instance per connection.
 */
final class RequestBodyLimitHandler extends ChannelInboundHandlerAdapter {
  static final String NAME = "plinth-request-body-limit";

  private final RequestBodyLimits limits;
  private long limit = Long.MAX_VALUE;
  private long received;
  private boolean refusing;

  RequestBodyLimitHandler(RequestBodyLimits limits) {
    this.limits = limits;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      limit = limits.limitFor(path(request.uri()));
      received = 0;
      long declared = HttpUtil.getContentLength(request, -1L);
      if (declared > limit) {
        refusing = !(msg instanceof LastHttpContent);
        ReferenceCountUtil.release(msg);
        refuse(ctx, request, declared);
        return;
      }
    }
    if (refusing) {
      refusing = !(msg instanceof LastHttpContent);
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpContent content) {
      received += content.content().readableBytes();
      if (received > limit) {
        ReferenceCountUtil.release(msg);
        ctx.close();
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  private void refuse(ChannelHandlerContext ctx, HttpRequest request, long declared) {
    String problem =
        "{\"type\":\"about:blank\",\"title\":\"Request Entity Too Large\",\"status\":413,"
            + "\"detail\":\"The body of "
            + declared
            + " bytes is over this route's limit of "
            + limit
            + " bytes.\"}";
    ByteBuf body = Unpooled.copiedBuffer(problem, StandardCharsets.UTF_8);
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            request.protocolVersion(), HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, body);
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    // The unread body would be taken for the next request: the connection ends with the answer.
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  private static String path(String uri) {
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }
}
