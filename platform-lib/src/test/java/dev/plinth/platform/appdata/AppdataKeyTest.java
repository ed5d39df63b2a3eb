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
    assertThat(AppdataKey.of("k".repeat(1024)).value()).hasSize(1024);
    assertThatThrownBy(() -> AppdataKey.of("k".repeat(1025)))
        .hasMessageContaining("at most 1024 bytes");
    // 512 two-byte characters are 1024 bytes; one more is over.
    assertThat(AppdataKey.of("é".repeat(512)).value()).hasSize(512);
    assertThatThrownBy(() -> AppdataKey.of("é".repeat(513)))
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
