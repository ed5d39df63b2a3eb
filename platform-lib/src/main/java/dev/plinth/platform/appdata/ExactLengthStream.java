package dev.plinth.platform.appdata;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads exactly the announced number of bytes of the stream it wraps: no further, and an {@link
 * IOException} when the stream ends early (so a short upload never stores a truncated object).
 */
final class ExactLengthStream extends InputStream {
  private final InputStream in;
  private final long length;
  private long remaining;

  ExactLengthStream(InputStream in, long length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must be UNKNOWN_LENGTH or at least 0");
    }
    this.in = in;
    this.length = length;
    this.remaining = length;
  }

  @Override
  public int read() throws IOException {
    if (remaining <= 0) {
      return -1;
    }
    int b = in.read();
    if (b < 0) {
      throw truncated();
    }
    remaining--;
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int count) throws IOException {
    if (count == 0) {
      return 0;
    }
    if (remaining <= 0) {
      return -1;
    }
    int n = in.read(buffer, offset, (int) Math.min(count, remaining));
    if (n < 0) {
      throw truncated();
    }
    remaining -= n;
    return n;
  }

  private IOException truncated() {
    return new IOException(
        "stream ended after " + (length - remaining) + " of " + length + " announced bytes");
  }
}
