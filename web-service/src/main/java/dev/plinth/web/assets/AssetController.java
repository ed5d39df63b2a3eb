package dev.plinth.web.assets;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * {@code GET /static/**}: an asset with its entity tag and modification time, answered 304 when the
 * client's copy is current; cached for a year and immutable under a fingerprinted name, for {@code
 * plinth.web.assets.max-age} (5 minutes) otherwise; its Brotli or gzip copy when one is on the
 * class path and the client accepts it. Served from memory on the event loop.
 */
@Controller(StaticAssets.PREFIX)
@Secured(SecurityRule.IS_ANONYMOUS)
@Hidden
final class AssetController {
  /** How long a browser may keep an asset whose name has no fingerprint. */
  static final String MAX_AGE = "plinth.web.assets.max-age";

  private static final String FOREVER = "public, max-age=31536000, immutable";

  private final StaticAssets assets;
  private final String shortCaching;

  AssetController(StaticAssets assets, @Value("${" + MAX_AGE + ":5m}") Duration maxAge) {
    this.assets = assets;
    this.shortCaching = "public, max-age=" + maxAge.toSeconds();
  }

  @Get("/{+path}")
  MutableHttpResponse<byte[]> get(
      @PathVariable String path,
      @Nullable @Header(HttpHeaders.ACCEPT_ENCODING) String acceptEncoding,
      @Nullable @Header(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
      @Nullable @Header(HttpHeaders.IF_MODIFIED_SINCE) String ifModifiedSince) {
    StaticAssets.Served served =
        assets
            .find(path)
            .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "no such asset"));
    StaticAssets.Asset asset = served.asset();
    byte[] body = asset.bytes();
    String etag = asset.etag();
    String encoding = null;
    if (asset.brotli() != null && accepts(acceptEncoding, "br")) {
      body = asset.brotli().bytes();
      etag = asset.brotli().etag();
      encoding = "br";
    } else if (asset.gzip() != null && accepts(acceptEncoding, "gzip")) {
      body = asset.gzip().bytes();
      etag = asset.gzip().etag();
      encoding = "gzip";
    }
    boolean fresh =
        ifNoneMatch != null
            ? matches(ifNoneMatch, etag)
            : notModifiedSince(ifModifiedSince, asset.lastModified());
    MutableHttpResponse<byte[]> response =
        fresh ? HttpResponse.notModified() : HttpResponse.ok(body).contentType(asset.type());
    response
        .header(HttpHeaders.ETAG, etag)
        .header(
            HttpHeaders.LAST_MODIFIED,
            DateTimeFormatter.RFC_1123_DATE_TIME.format(
                asset.lastModified().atZone(ZoneOffset.UTC)))
        .header(HttpHeaders.CACHE_CONTROL, served.immutable() ? FOREVER : shortCaching);
    if (asset.brotli() != null || asset.gzip() != null) {
      response.header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
    }
    if (encoding != null && !fresh) {
      response.header(HttpHeaders.CONTENT_ENCODING, encoding);
    }
    return response;
  }

  /**
   * True when {@code header} (Accept-Encoding) accepts {@code coding} with a q above 0: its own
   * entry's q, else that of {@code *}.
   */
  static boolean accepts(String header, String coding) {
    if (header == null) {
      return false;
    }
    Double own = null;
    Double any = null;
    for (String part : header.split(",")) {
      String[] fields = part.trim().split(";");
      String name = fields[0].trim().toLowerCase(Locale.ROOT);
      if (name.equals(coding)) {
        own = quality(fields);
      } else if (name.equals("*")) {
        any = quality(fields);
      }
    }
    return own != null ? own > 0 : any != null && any > 0;
  }

  private static double quality(String[] fields) {
    for (int i = 1; i < fields.length; i++) {
      String field = fields[i].trim();
      if (field.startsWith("q=")) {
        try {
          return Double.parseDouble(field.substring(2));
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1.0;
  }

  /** If-None-Match: {@code *} or a list of tags, compared weakly as RFC 9110 says for GET. */
  private static boolean matches(String header, String etag) {
    for (String tag : header.split(",")) {
      String candidate = tag.trim();
      if (candidate.equals("*")
          || (candidate.startsWith("W/") ? candidate.substring(2) : candidate).equals(etag)) {
        return true;
      }
    }
    return false;
  }

  private static boolean notModifiedSince(String header, Instant lastModified) {
    if (header == null) {
      return false;
    }
    try {
      Instant since = ZonedDateTime.parse(header, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return !lastModified.isAfter(since);
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
