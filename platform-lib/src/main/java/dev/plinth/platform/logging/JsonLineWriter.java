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
    for (long bound = 10; digits < 19 && value >= bound; bound *= 10) {
      digits++;
    }
    int end = length + digits;
    for (int i = end - 1; i >= length; i--) {
      long quotient = value / 10;
      buffer[i] = (byte) ('0' + (value - quotient * 10));
      value = quotient;
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
    // Room for the worst plain case (3 bytes a char) once; escapes reserve their extra bytes.
    ensure(3 * n);
    byte[] buf = buffer;
    int pos = length;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        buf[pos++] = (byte) c;
      } else if (c >= 0x80 && c < 0x800) {
        buf[pos++] = (byte) (0xc0 | (c >> 6));
        buf[pos++] = (byte) (0x80 | (c & 0x3f));
      } else if (c >= 0x800 && !Character.isSurrogate(c) && c != '\u2028' && c != '\u2029') {
        buf[pos++] = (byte) (0xe0 | (c >> 12));
        buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        buf[pos++] = (byte) (0x80 | (c & 0x3f));
      } else {
        // The rare cases: escapes, surrogates, line separators. Reserve for the rest, then write.
        length = pos;
        ensure(6 + 3 * (n - i));
        i = special(text, i, c);
        buf = buffer;
        pos = length;
      }
    }
    length = pos;
  }

  /** Writes the character at {@code i} that needs care; returns the last index consumed. */
  private int special(CharSequence text, int i, char c) {
    if (c == '"' || c == '\\') {
      buffer[length++] = '\\';
      buffer[length++] = (byte) c;
    } else if (c < 0x20) {
      escapeControl(c);
    } else if (Character.isHighSurrogate(c)
        && i + 1 < text.length()
        && Character.isLowSurrogate(text.charAt(i + 1))) {
      int cp = Character.toCodePoint(c, text.charAt(i + 1));
      buffer[length++] = (byte) (0xf0 | (cp >> 18));
      buffer[length++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
      buffer[length++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
      buffer[length++] = (byte) (0x80 | (cp & 0x3f));
      return i + 1;
    } else if (Character.isSurrogate(c)) {
      threeBytes('\ufffd'); // a lone surrogate is not valid UTF-16: the replacement character
    } else {
      // U+2028/U+2029: valid JSON, but line breaks to some JavaScript readers and log viewers.
      escapeUnicode(c);
    }
    return i;
  }

  private void escapeControl(char c) {
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
    buffer[length++] = '\\';
    buffer[length++] = 'u';
    buffer[length++] = HEX[(c >> 12) & 0xf];
    buffer[length++] = HEX[(c >> 8) & 0xf];
    buffer[length++] = HEX[(c >> 4) & 0xf];
    buffer[length++] = HEX[c & 0xf];
  }

  private void threeBytes(char c) {
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
