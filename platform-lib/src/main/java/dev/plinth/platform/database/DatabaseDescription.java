package dev.plinth.platform.database;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Names a database for people from its JDBC URL: engine, host, port and database, never user
 * information, parameters or anything else a URL may carry (passwords can hide in any of them).
 */
final class DatabaseDescription {
  private DatabaseDescription() {}

  static String of(String jdbcUrl) {
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
      return "the database";
    }
    String rest = jdbcUrl.substring("jdbc:".length());
    if (rest.startsWith("h2:")) {
      // jdbc:h2:file:/path/name;SETTINGS or jdbc:h2:mem:name: a path, then settings after ';'.
      String target = rest.substring("h2:".length());
      int settings = target.indexOf(';');
      return "the embedded H2 database " + (settings < 0 ? target : target.substring(0, settings));
    }
    int colon = rest.indexOf(':');
    String engine = colon < 0 ? rest : rest.substring(0, colon);
    String name =
        switch (engine) {
          case "postgresql" -> "PostgreSQL";
          case "mariadb" -> "MariaDB";
          case "mysql" -> "MySQL";
          default -> engine.toLowerCase(Locale.ROOT);
        };
    try {
      URI uri = new URI(rest);
      if (uri.getHost() == null) {
        return "the " + name + " database";
      }
      String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
      String path = uri.getPath() == null ? "" : uri.getPath();
      return "the " + name + " database at " + uri.getHost() + port + path;
    } catch (URISyntaxException e) {
      return "the " + name + " database";
    }
  }
}
