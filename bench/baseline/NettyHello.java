import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The benchmark baseline: raw Netty answering 200 "{}" to every request, keep-alive. Its server and
 * response writer serve {@code NettyJdbc} as well.
 */
public final class NettyHello {
  /** What a baseline does with one request. */
  interface Answer {
    void answer(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive);
  }

  public static void main(String[] args) throws Exception {
    serve((ctx, request, keepAlive) -> write(ctx, HttpResponseStatus.OK, "{}", keepAlive));
  }

  /** Serves HTTP/1.1 on {@code PORT} until the process ends. */
  static void serve(Answer answer) throws InterruptedException {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8000"));
    var group = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                    .addLast(new HttpServerCodec())
                    .addLast(new HttpObjectAggregator(65536))
                    .addLast(
                        new SimpleChannelInboundHandler<FullHttpRequest>() {
                          @Override
                          protected void channelRead0(
                              ChannelHandlerContext ctx, FullHttpRequest req) {
                            answer.answer(ctx, req, HttpUtil.isKeepAlive(req));
                          }
                        });
              }
            })
        .bind(port)
        .sync()
        .channel()
        .closeFuture()
        .sync();
  }

  /** Writes a JSON response (from any thread), closing the connection unless kept alive. */
  static void write(
      ChannelHandlerContext ctx, HttpResponseStatus status, String json, boolean keepAlive) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    var res =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    res.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    if (keepAlive) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(res);
    } else {
      ctx.writeAndFlush(res).addListener(f -> ctx.close());
    }
  }
}
