package dev.plinth.platform.dockerflow.http;

import dev.plinth.platform.logging.RequestIds;
import dev.plinth.platform.logging.RequestSummaryLog;
import io.micronaut.core.annotation.Nullable;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.Date;

/**
 * Answers {@code GET} and {@code HEAD /__lbheartbeat__} in the Netty pipeline, right after the HTTP
 * codec, without Micronaut's routing and filter chain: the load balancer's probe is the most
 * frequent request a service gets, and by contract it touches nothing. The answer is the one the
 * route would give (200, or 503 while the {@link LoadBalancerDrain} is on; empty body, {@code
 * X-Request-ID}) and the request still logs its {@code request.summary} line.
 *
 * <p>One instance per connection. HTTP/1.1 responses must leave in request order, so a probe is
 * answered here only while no earlier request of the connection is still with Micronaut; otherwise
 * it is passed on and the route answers it in turn. Anything else (another method, a body, {@code
 * Expect}) is passed on untouched.
 */
final class LbHeartbeatHandler extends ChannelDuplexHandler {
  static final String NAME = "plinth-lbheartbeat";
  static final String PATH = "/__lbheartbeat__";

  private final @Nullable RequestSummaryLog summaries;
  private final LoadBalancerDrain drain;

  /** Requests handed on to Micronaut whose response has not been written in full yet. */
  private int inFlight;

  /** True while the content of a request answered here is still arriving (and is dropped). */
  private boolean dropping;

  LbHeartbeatHandler(@Nullable RequestSummaryLog summaries, LoadBalancerDrain drain) {
    this.summaries = summaries;
    this.drain = drain;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (dropping) {
      dropping = !(msg instanceof LastHttpContent);
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      if (inFlight == 0 && isProbe(request)) {
        dropping = !(msg instanceof LastHttpContent);
        ReferenceCountUtil.release(msg);
        answer(ctx, request);
        return;
      }
      inFlight++;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    // An interim response (100 Continue) is not the end of one; the last content of a final is.
    boolean interim =
        msg instanceof HttpResponse response
            && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    if (!interim && msg instanceof LastHttpContent && inFlight > 0) {
      inFlight--;
    }
    ctx.write(msg, promise);
  }

  private static boolean isProbe(HttpRequest request) {
    HttpMethod method = request.method();
    if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
      return false;
    }
    return PATH.equals(path(request.uri()))
        && request.decoderResult().isSuccess()
        && !request.headers().contains(HttpHeaderNames.EXPECT)
        && !HttpUtil.isTransferEncodingChunked(request)
        && HttpUtil.getContentLength(request, 0L) == 0L;
  }

  private void answer(ChannelHandlerContext ctx, HttpRequest request) {
    long start = System.nanoTime();
    String rid = RequestIds.acceptOrGenerate(request.headers().get(RequestIds.HEADER));
    // Draining: 503, and the connection closes so the balancer's next probe opens a new one.
    HttpResponseStatus status =
        drain.draining() ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK;
    boolean keepAlive = HttpUtil.isKeepAlive(request) && !drain.draining();
    FullHttpResponse response =
        new DefaultFullHttpResponse(request.protocolVersion(), status, Unpooled.EMPTY_BUFFER);
    response
        .headers()
        .set(HttpHeaderNames.DATE, DateFormatter.format(new Date()))
        .set(RequestIds.HEADER, rid)
        .set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO);
    HttpUtil.setKeepAlive(response, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(response, ctx.voidPromise());
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
    if (summaries != null && summaries.wants(PATH)) {
      summaries.log(
          PATH,
          request.method().name(),
          status.code(),
          start,
          request.headers().get(HttpHeaderNames.USER_AGENT),
          request.headers().get(HttpHeaderNames.ACCEPT_LANGUAGE),
          rid,
          null,
          query(request.uri()));
    }
  }

  private static String path(String uri) {
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }

  private static @Nullable String query(String uri) {
    int query = uri.indexOf('?');
    return query < 0 ? null : uri.substring(query + 1);
  }
}
