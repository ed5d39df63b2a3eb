package dev.plinth.platform.appdata;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Application data: named objects of any size, streamed in and out, never held whole in memory. S3
 * under {@code APPDATA_BUCKET}/{@code APPDATA_PREFIX} when configured, a local directory otherwise;
 * both behave the same (one contract test suite runs against each). Several instances may share the
 * store: a put replaces an object atomically, readers see the old or the new whole.
 */
public interface AppdataStore {
  /** Length to pass to {@link #put} when the stream's length is not known in advance. */
  long UNKNOWN_LENGTH = -1;

  /**
   * Stores {@code content} under {@code key}, replacing what was there. Reads {@code content} to
   * its end (or {@code length} bytes) and does not close it.
   *
   * @param length the number of bytes, or {@link #UNKNOWN_LENGTH}
   */
  void put(AppdataKey key, InputStream content, long length) throws IOException;

  /** Stores a stream of unknown length. */
  default void put(AppdataKey key, InputStream content) throws IOException {
    put(key, content, UNKNOWN_LENGTH);
  }

  /** The object's content as a stream the caller closes, or empty when there is none. */
  Optional<AppdataObject> get(AppdataKey key) throws IOException;

  boolean exists(AppdataKey key) throws IOException;

  /**
   * One page of the keys that start with {@code prefix}, in ascending order.
   *
   * @param prefix a key prefix (checked as {@link AppdataKey#checkPrefix}); empty for all
   * @param continuationToken the previous page's {@link AppdataPage#nextToken}, or null
   * @param maxKeys at most this many entries (1-1000)
   */
  AppdataPage list(String prefix, String continuationToken, int maxKeys) throws IOException;

  /** Deletes the object; deleting what does not exist is not an error. */
  void delete(AppdataKey key) throws IOException;

  /** A URL that lets anyone GET the object for {@code validFor}, where the backend can sign one. */
  Optional<URI> presignedGetUrl(AppdataKey key, Duration validFor);

  /** An object being read: close it (or its stream) when done. */
  record AppdataObject(AppdataKey key, long length, InputStream content) implements Closeable {
    @Override
    public void close() throws IOException {
      content.close();
    }
  }

  /** A listed object. */
  record AppdataEntry(AppdataKey key, long size, Instant lastModified) {}

  /** A page of a listing; {@code nextToken} is present when more keys follow. */
  record AppdataPage(List<AppdataEntry> entries, Optional<String> nextToken) {
    public AppdataPage {
      entries = List.copyOf(entries);
    }
  }
}
