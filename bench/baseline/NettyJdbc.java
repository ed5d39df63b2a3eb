import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The physical limit of bench/web.sh's read path: raw Netty, HikariCP and the same JDBC query as
 * WEB's note read, no framework. The query runs on a pool of blocking threads (as WEB's blocking
 * routes do), never on the event loop; the JSON is written by hand in WEB's shape. Reads
 * DATABASE_HOST, DATABASE_PORT, DATABASE_NAME, DATABASE_USERNAME and PORT.
 */
public final class NettyJdbc {
  private static final String QUERY =
      "SELECT id, title, body, created_at, updated_at, author FROM notes WHERE id = ?";

  public static void main(String[] args) throws Exception {
    var env = System.getenv();
    int port = Integer.parseInt(env.getOrDefault("PORT", "8000"));
    int threads = 2 * Runtime.getRuntime().availableProcessors();
    var config = new HikariConfig();
    config.setJdbcUrl(
        "jdbc:postgresql://"
            + env.getOrDefault("DATABASE_HOST", "127.0.0.1")
            + ":"
            + env.getOrDefault("DATABASE_PORT", "5432")
            + "/"
            + env.getOrDefault("DATABASE_NAME", "postgres"));
    config.setUsername(env.getOrDefault("DATABASE_USERNAME", "postgres"));
    config.setMaximumPoolSize(threads);
    var dataSource = new HikariDataSource(config);
    ExecutorService blocking = Executors.newFixedThreadPool(threads);
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
                            boolean keepAlive = HttpUtil.isKeepAlive(req);
                            String uri = req.uri();
                            if (uri.equals("/__lbheartbeat__")) { // bench/lib's readiness probe
                              write(ctx, HttpResponseStatus.OK, "{}", keepAlive);
                              return;
                            }
                            blocking.execute(() -> answer(ctx, uri, keepAlive, dataSource));
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

  private static void answer(
      ChannelHandlerContext ctx, String uri, boolean keepAlive, HikariDataSource dataSource) {
    HttpResponseStatus status = HttpResponseStatus.OK;
    String json;
    try {
      long id = Long.parseLong(uri.substring(uri.lastIndexOf('/') + 1));
      json = read(dataSource, id);
      if (json == null) {
        status = HttpResponseStatus.NOT_FOUND;
        json = "{\"status\":404,\"title\":\"Not Found\",\"detail\":\"No note with id " + id + "\"}";
      }
    } catch (NumberFormatException e) {
      status = HttpResponseStatus.BAD_REQUEST;
      json = "{\"status\":400,\"title\":\"Bad Request\"}";
    } catch (Exception e) {
      status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
      json = "{\"status\":500,\"title\":\"Internal Server Error\"}";
    }
    write(ctx, status, json, keepAlive);
  }

  private static void write(
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

  private static String read(HikariDataSource dataSource, long id) throws Exception {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(QUERY)) {
      statement.setLong(1, id);
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return null;
        }
        return "{\"id\":"
            + row.getLong(1)
            + ",\"title\":"
            + quote(row.getString(2))
            + ",\"body\":"
            + quote(row.getString(3))
            + ",\"createdAt\":"
            + quote(instant(row.getObject(4, OffsetDateTime.class)))
            + ",\"updatedAt\":"
            + quote(instant(row.getObject(5, OffsetDateTime.class)))
            + ",\"author\":"
            + quote(row.getString(6))
            + "}";
      }
    }
  }

  private static String instant(OffsetDateTime at) {
    return at.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString();
  }

  private static String quote(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
