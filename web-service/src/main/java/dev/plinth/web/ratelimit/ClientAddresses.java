package dev.plinth.web.ratelimit;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The client a request comes from: the peer's address, unless the peer is one of {@code
 * plinth.web.trusted-proxies} (addresses or CIDR blocks), in which case {@code X-Forwarded-For} is
 * read from its right end, past every trusted proxy, to the first address no trusted proxy claims.
 * With no trusted proxy (the default) the header is ignored: anyone can write it.
 */
@Singleton
public final class ClientAddresses {
  /** The proxies whose {@code X-Forwarded-For} is believed. */
  public static final String TRUSTED_PROXIES = "plinth.web.trusted-proxies";

  /** An address block: {@code bits} leading bits of {@code network}. */
  record Block(byte[] network, int bits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int whole = bits / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      return rest == 0 || ((address[whole] ^ network[whole]) & (0xff << (8 - rest)) & 0xff) == 0;
    }
  }

  private final List<Block> trusted = new ArrayList<>();

  public ClientAddresses(@Value("${" + TRUSTED_PROXIES + ":}") List<String> proxies) {
    for (String entry : proxies) {
      if (!entry.isBlank()) {
        trusted.add(block(entry.trim()));
      }
    }
  }

  /** The client's address as text. */
  public String of(HttpRequest<?> request) {
    InetSocketAddress peer = request.getRemoteAddress();
    String client =
        peer.getAddress() == null ? peer.getHostString() : peer.getAddress().getHostAddress();
    if (trusted.isEmpty() || !isTrusted(client)) {
      return client;
    }
    List<String> forwarded = new ArrayList<>();
    for (String header : request.getHeaders().getAll("X-Forwarded-For")) {
      for (String hop : header.split(",")) {
        if (!hop.isBlank()) {
          forwarded.add(hop.trim());
        }
      }
    }
    for (int i = forwarded.size() - 1; i >= 0; i--) {
      client = forwarded.get(i);
      if (!isTrusted(client)) {
        return client;
      }
    }
    return client;
  }

  private boolean isTrusted(String address) {
    byte[] bytes = literal(address);
    if (bytes == null) {
      return false;
    }
    for (Block block : trusted) {
      if (block.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  /** The bytes of a literal IP address, or null for anything else (never a DNS lookup). */
  private static byte[] literal(String address) {
    if (address.isEmpty() || !(address.indexOf(':') >= 0 || address.matches("[0-9.]+"))) {
      return null;
    }
    try {
      return InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static Block block(String entry) {
    int slash = entry.indexOf('/');
    byte[] network = literal(slash < 0 ? entry : entry.substring(0, slash));
    if (network == null) {
      throw new IllegalArgumentException(
          TRUSTED_PROXIES + ": '" + entry + "' is not an IP address or a CIDR block");
    }
    int bits = network.length * 8;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(entry.substring(slash + 1));
      } catch (NumberFormatException e) {
        bits = -1;
      }
      if (bits < 0 || bits > network.length * 8) {
        throw new IllegalArgumentException(
            TRUSTED_PROXIES + ": '" + entry + "' has no valid prefix length");
      }
    }
    return new Block(network, bits);
  }
}
