package dev.plinth.platform.logging;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable UTF-8 byte buffer that writes JSON by hand: the log encoder runs on every line, before
 * the application starts, so it neither uses a JSON library nor builds intermediate strings. One
 * instance per thread; not thread-safe.
 */
final class JsonLineWriter {
  private static final int INITIAL_CAPACITY = 512;

  /** A buffer that grew past this for one huge line is dropped rather than kept per thread. */
  private static final int RETAINED_CAPACITY = 64 * 1024;

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private byte[] buffer = new byte[INITIAL_CAPACITY];
  private int length;

  void reset() {
    if (buffer.length > RETAINED_CAPACITY) {
      buffer = new byte[INITIAL_CAPACITY];
    }
    length = 0;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buffer, length);
  }

  int length() {
    return length;
  }

  /** Drops what was written after {@code mark} (a value that failed half-way). */
  void truncate(int mark) {
    length = mark;
  }

  /** Writes an ASCII character as is (JSON punctuation). */
  void raw(char c) {
    ensure(1);
    buffer[length++] = (byte) c;
  }

  /** Writes pre-encoded bytes as is. */
  void raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, length, bytes.length);
    length += bytes.length;
  }

  /** Writes an ASCII literal as is ({@code null}, {@code true}, a number's text). */
  void rawAscii(String ascii) {
    int n = ascii.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buffer[length++] = (byte) ascii.charAt(i);
    }
  }

  void number(long value) {
    if (value == Long.MIN_VALUE) {
      rawAscii(Long.toString(value));
      return;
    }
    ensure(20);
    if (value < 0) {
      buffer[length++] = '-';
      value = -value;
    }
    int digits = 1;
    for (long v = value; v >= 10; v /= 10) {
      digits++;
    }
    int end = length + digits;
    for (int i = end - 1; i >= length; i--) {
      buffer[i] = (byte) ('0' + (value % 10));
      value /= 10;
    }
    length = end;
  }

  /** Writes {@code text} as a quoted JSON string; {@code null} becomes JSON null. */
  void string(CharSequence text) {
    if (text == null) {
      rawAscii("null");
      return;
    }
    raw('"');
    chars(text);
    raw('"');
  }

  /**
   * Writes the characters of a JSON string body: quotes, backslashes and control characters
   * escaped, everything else as UTF-8. A lone surrogate (not valid UTF-16) becomes U+FFFD.
   */
  void chars(CharSequence text) {
    int n = text.length();
    // Worst case per char is 6 bytes (\\u00XX); reserve generously once, then per char.
    ensure(n + 2);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x80) {
        if (c == '"' || c == '\\') {
          ensure(2);
          buffer[length++] = '\\';
        } else {
          ensure(1);
        }
        buffer[length++] = (byte) c;
      } else if (c < 0x20) {
        escapeControl(c);
      } else if (c < 0x800) {
        ensure(2);
        buffer[length++] = (byte) (0xc0 | (c >> 6));
        buffer[length++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(text.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, text.charAt(++i));
          ensure(4);
          buffer[length++] = (byte) (0xf0 | (cp >> 18));
          buffer[length++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
          buffer[length++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
          buffer[length++] = (byte) (0x80 | (cp & 0x3f));
        } else {
          threeBytes('\ufffd');
        }
      } else if (c == '\u2028' || c == '\u2029') {
        // Valid JSON, but line separators to some JavaScript readers and log viewers.
        escapeUnicode(c);
      } else {
        threeBytes(c);
      }
    }
  }

  private void escapeControl(char c) {
    ensure(2);
    switch (c) {
      case '\n' -> {
        buffer[length++] = '\\';
        buffer[length++] = 'n';
      }
      case '\r' -> {
        buffer[length++] = '\\';
        buffer[length++] = 'r';
      }
      case '\t' -> {
        buffer[length++] = '\\';
        buffer[length++] = 't';
      }
      case '\b' -> {
        buffer[length++] = '\\';
        buffer[length++] = 'b';
      }
      case '\f' -> {
        buffer[length++] = '\\';
        buffer[length++] = 'f';
      }
      default -> escapeUnicode(c);
    }
  }

  private void escapeUnicode(char c) {
    ensure(6);
    buffer[length++] = '\\';
    buffer[length++] = 'u';
    buffer[length++] = HEX[(c >> 12) & 0xf];
    buffer[length++] = HEX[(c >> 8) & 0xf];
    buffer[length++] = HEX[(c >> 4) & 0xf];
    buffer[length++] = HEX[c & 0xf];
  }

  private void threeBytes(char c) {
    ensure(3);
    buffer[length++] = (byte) (0xe0 | (c >> 12));
    buffer[length++] = (byte) (0x80 | ((c >> 6) & 0x3f));
    buffer[length++] = (byte) (0x80 | (c & 0x3f));
  }

  private void ensure(int extra) {
    if (length + extra > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + extra));
    }
  }
}
