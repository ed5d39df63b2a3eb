package dev.plinth.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.core.propagation.PropagatedContext;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;

class RequestIdsTest {
  @AfterEach
  void clear() {
    MDC.clear();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "abc-DEF_123.x", "0123456789abcdef0123456789abcdef"})
  void acceptsSaneIds(String id) {
    assertThat(RequestIds.isValid(id)).isTrue();
    assertThat(RequestIds.acceptOrGenerate(id)).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "a b", "a/b", "a\nb", "a\"b", "ü", "{}", "a:b"})
  void rejectsOtherIds(String id) {
    assertThat(RequestIds.isValid(id)).isFalse();
    assertThat(RequestIds.acceptOrGenerate(id)).isNotEqualTo(id).matches("[0-9a-f]{32}");
  }

  @Test
  void limitsTheLengthTo128() {
    assertThat(RequestIds.isValid("x".repeat(128))).isTrue();
    assertThat(RequestIds.isValid("x".repeat(129))).isFalse();
    assertThat(RequestIds.isValid(null)).isFalse();
  }

  @Test
  void generatesDistinctHexIds() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = RequestIds.generate();
      assertThat(id).matches("[0-9a-f]{32}");
      ids.add(id);
    }
    assertThat(ids).hasSize(1000);
  }

  @Test
  void propagatesAnIdIntoTheMdcAndRestoresWhatWasThere() {
    MDC.put("rid", "outer");
    assertThat(RequestIds.current()).contains("outer");

    PropagatedContext.Scope scope = RequestIds.propagate("inner");
    try {
      assertThat(MDC.get("rid")).isEqualTo("inner");
      assertThat(RequestIds.current()).contains("inner");
    } finally {
      scope.close();
    }

    assertThat(MDC.get("rid")).isEqualTo("outer");
    MDC.remove("rid");
    assertThat(RequestIds.withRequestId("in-supplier", RequestIds::current))
        .contains("in-supplier");
    assertThat(MDC.get("rid")).isNull();
  }

  @Test
  void travelsWithAWrappedTaskToAnotherThread() throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Supplier<String> seenThere = () -> RequestIds.current().orElse("none") + "/" + MDC.get("rid");
      CompletableFuture<String> seen =
          RequestIds.withRequestId(
              "travelling",
              () ->
                  CompletableFuture.supplyAsync(PropagatedContext.get().wrap(seenThere), executor));
      assertThat(seen.get()).isEqualTo("travelling/travelling");
    } finally {
      executor.shutdown();
    }
    assertThat(RequestIds.current()).isEmpty();
  }
}
