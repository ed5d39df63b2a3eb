package dev.plinth.platform.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SensitiveParametersTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a=1&b=x%20y|a=1&b=x%20y",
        "password=hunter2|password=********",
        "page=2&Password=x&api_key=k&next=3|page=2&Password=********&api_key=********&next=3",
        "https://h/p?token=t&q=v#frag|https://h/p?token=********&q=v#frag",
        "X-Amz-Signature=abc;session_id=s|X-Amz-Signature=********;session_id=********",
        "authority=x|authority=********",
        "keyword=search|keyword=********",
        "monkey|monkey",
      })
  void masksValuesOfParametersNamedLikeCredentials(String given, String expected) {
    assertThat(SensitiveParameters.mask(given)).isEqualTo(expected);
  }
}
