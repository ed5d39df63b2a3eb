package dev.plinth.platform.appdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AppdataKeyTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "report.pdf",
        "a/b/c.txt",
        "..hidden/ok",
        "x..y",
        ".profile",
        "unicode/été.txt",
        "spaces are fine.txt"
      })
  void acceptsRelativeKeys(String key) {
    assertThat(AppdataKey.of(key).value()).isEqualTo(key);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "../etc/passwd",
        "a/../../b",
        "a/..",
        "..",
        "./a",
        "/etc/passwd",
        "C:/windows",
        "a\\b",
        "a//b",
        "a/",
        "tab\there",
        "nul\u0000"
      })
  void refusesKeysThatCouldEscapeOrConfuse(String key) {
    assertThatThrownBy(() -> AppdataKey.of(key))
        .isInstanceOf(InvalidAppdataKeyException.class)
        .hasMessageStartingWith("an appdata key must");
  }

  @org.junit.jupiter.api.Test
  void limitsKeysTo1024Utf8Bytes() {
    // Five segments of 204 and four slashes are 1024 bytes; one more is over.
    String longest = String.join("/", java.util.Collections.nCopies(5, "k".repeat(204)));
    assertThat(AppdataKey.of(longest).value()).hasSize(1024);
    assertThatThrownBy(() -> AppdataKey.of(longest + "k"))
        .hasMessageContaining("at most 1024 bytes");
    // Two-byte characters count twice: 4 × 254 + 3 + 5 bytes are 1024.
    String wide = String.join("/", java.util.Collections.nCopies(4, "é".repeat(127)));
    assertThat(AppdataKey.of(wide + "/kkkk").value()).hasSize(4 * 127 + 3 + 5);
    assertThatThrownBy(() -> AppdataKey.of(wide + "/kkké"))
        .isInstanceOf(InvalidAppdataKeyException.class);
  }

  @org.junit.jupiter.api.Test
  void limitsEachSegmentTo255Utf8Bytes() {
    assertThat(AppdataKey.of("a/" + "s".repeat(255)).value()).hasSize(257);
    assertThatThrownBy(() -> AppdataKey.of("a/" + "s".repeat(256) + "/b"))
        .isInstanceOf(InvalidAppdataKeyException.class)
        .hasMessage("an appdata key must have segments of at most 255 bytes each");
    assertThatThrownBy(() -> AppdataKey.of("é".repeat(128)))
        .isInstanceOf(InvalidAppdataKeyException.class);
  }

  @org.junit.jupiter.api.Test
  void prefixesMayBeEmptyOrEndWithASlash() {
    assertThat(AppdataKey.checkPrefix("")).isEmpty();
    assertThat(AppdataKey.checkPrefix(null)).isEmpty();
    assertThat(AppdataKey.checkPrefix("a/b/")).isEqualTo("a/b/");
    assertThatThrownBy(() -> AppdataKey.checkPrefix("../"))
        .isInstanceOf(InvalidAppdataKeyException.class);
  }
}
