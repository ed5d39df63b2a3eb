package dev.plinth.web.files;

import dev.plinth.platform.appdata.AppdataKey;
import dev.plinth.platform.appdata.AppdataStore;
import dev.plinth.platform.appdata.AppdataStore.AppdataObject;
import dev.plinth.platform.appdata.AppdataStore.AppdataPage;
import dev.plinth.platform.http.Problem;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * The example's use of appdata: files uploaded and downloaded by key, streamed both ways (S3 with
 * {@code APPDATA_BUCKET}, {@code APP_DATA_DIR/appdata} otherwise). A key that could escape the
 * store ({@code ..}, absolute, over 1024 bytes) is answered with 400.
 */
@Controller("/api/files")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class FileController {
  /** How many uploads may stream at once; one more is answered 503 with {@code Retry-After}. */
  static final String MAX_CONCURRENT_UPLOADS = "plinth.files.max-concurrent-uploads";

  private final AppdataStore store;
  private final Semaphore uploads;

  FileController(
      AppdataStore store, @Value("${" + MAX_CONCURRENT_UPLOADS + ":4}") int maxConcurrentUploads) {
    this.store = store;
    // Each upload holds a blocking thread and, on S3, one part in memory: bounded, they cannot
    // take the whole pool or heap.
    this.uploads = new Semaphore(maxConcurrentUploads);
  }

  @Operation(summary = "Store the request body under a key (replaces what was there)")
  @ApiResponse(responseCode = "204", description = "Stored")
  @ApiResponse(responseCode = "400", description = "Invalid key (problem)")
  @ApiResponse(responseCode = "503", description = "Too many uploads at once (problem)")
  @Hidden // the OpenAPI processor cannot read {+key} (a key with '/') yet
  @Put(value = "/{+key}", consumes = MediaType.ALL)
  public HttpResponse<?> upload(
      @PathVariable String key, HttpRequest<?> request, @Body InputStream content)
      throws IOException {
    AppdataKey checked = AppdataKey.of(key);
    if (!uploads.tryAcquire()) {
      return Problem.response(
              HttpStatus.SERVICE_UNAVAILABLE,
              "Too many uploads at once; try again shortly.",
              request.getPath())
          .header(HttpHeaders.RETRY_AFTER, "1");
    }
    try {
      long length = request.getContentLength();
      store.put(checked, content, length >= 0 ? length : AppdataStore.UNKNOWN_LENGTH);
      return HttpResponse.noContent();
    } finally {
      uploads.release();
    }
  }

  @Operation(summary = "Download the file stored under a key")
  @ApiResponse(responseCode = "200", description = "The file's bytes")
  @ApiResponse(responseCode = "400", description = "Invalid key (problem)")
  @ApiResponse(responseCode = "404", description = "No such file (problem)")
  @Hidden // the OpenAPI processor cannot read {+key} (a key with '/') yet
  @Get(value = "/{+key}", produces = MediaType.APPLICATION_OCTET_STREAM)
  public HttpResponse<StreamedFile> download(@PathVariable String key) throws IOException {
    AppdataObject object =
        store
            .get(AppdataKey.of(key))
            .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "No file " + key));
    return HttpResponse.ok(
            new StreamedFile(
                object.content(),
                MediaType.APPLICATION_OCTET_STREAM_TYPE,
                Instant.now().toEpochMilli(),
                object.length()))
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        // Never rendered by a browser in our origin, whatever the bytes are: saved as a file.
        .header(HttpHeaders.CONTENT_DISPOSITION, attachment(key));
  }

  /** RFC 6266 {@code attachment} with the key's last segment, percent-encoded (RFC 5987). */
  static String attachment(String key) {
    String name = key.substring(key.lastIndexOf('/') + 1);
    return "attachment; filename*=UTF-8''"
        + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Operation(summary = "Delete the file stored under a key")
  @ApiResponse(responseCode = "204", description = "Deleted (or there was none)")
  @ApiResponse(responseCode = "400", description = "Invalid key (problem)")
  @Hidden // the OpenAPI processor cannot read {+key} (a key with '/') yet
  @Delete("/{+key}")
  public HttpResponse<Void> delete(@PathVariable String key) throws IOException {
    store.delete(AppdataKey.of(key));
    return HttpResponse.noContent();
  }

  @Operation(summary = "List files whose keys start with a prefix, a page at a time")
  @Get(produces = MediaType.APPLICATION_JSON)
  public FilePage list(
      @QueryValue(defaultValue = "") String prefix,
      @QueryValue @Nullable String token,
      @QueryValue(defaultValue = "100") @Min(1) @Max(1000) int size)
      throws IOException {
    AppdataPage page = store.list(prefix, token, size);
    return new FilePage(
        page.entries().stream()
            .map(e -> new FileEntry(e.key().value(), e.size(), e.lastModified()))
            .toList(),
        page.nextToken().orElse(null));
  }

  /** A page of {@code GET /api/files}; pass {@code next} as {@code token} for the next one. */
  @Serdeable
  public record FilePage(List<FileEntry> files, @Nullable String next) {}

  /** One listed file. */
  @Serdeable
  public record FileEntry(String key, long size, Instant lastModified) {}
}
