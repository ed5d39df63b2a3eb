import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
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
    NettyHello.serve(
        (ctx, request, keepAlive) -> {
          String uri = request.uri();
          if (uri.equals("/__lbheartbeat__")) { // bench/lib's readiness probe
            NettyHello.write(ctx, HttpResponseStatus.OK, "{}", keepAlive);
          } else {
            blocking.execute(() -> answer(ctx, uri, keepAlive, dataSource));
          }
        });
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
    NettyHello.write(ctx, status, json, keepAlive);
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
