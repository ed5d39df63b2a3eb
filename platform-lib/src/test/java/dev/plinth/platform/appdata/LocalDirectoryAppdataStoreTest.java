package dev.plinth.platform.appdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The embedded default (no {@code APPDATA_BUCKET}): files under {@code APP_DATA_DIR/appdata}. */
class LocalDirectoryAppdataStoreTest extends AppdataStoreContract {
  @Override
  Map<String, String> backendEnvironment(Path dataDir) {
    return Map.of();
  }

  @Override
  Class<? extends AppdataStore> expectedStore() {
    return LocalDirectoryAppdataStore.class;
  }

  @Test
  void objectsAreFilesUnderTheDataDirectoryAndNoTempFileStays() throws IOException {
    store.put(AppdataKey.of("files/under/root.txt"), text("x"), 1);

    Path root = dataDir.resolve("appdata").toAbsolutePath();
    assertThat(((LocalDirectoryAppdataStore) store).root()).isEqualTo(root);
    assertThat(root.resolve("files/under/root.txt")).hasContent("x");
    try (Stream<Path> temp = Files.list(root.resolveSibling("appdata.tmp"))) {
      assertThat(temp).isEmpty();
    }
  }

  @Test
  void aKeyCannotBeBothAFileAndAFolderOfKeysHere() throws IOException {
    store.put(AppdataKey.of("clash/inner.txt"), text("in"), 2);
    assertThatThrownBy(() -> store.put(AppdataKey.of("clash"), text("x"), 1))
        .isInstanceOf(AppdataKeyConflictException.class)
        .hasMessage("the appdata key 'clash' is a folder of other keys in the local store");
    store.put(AppdataKey.of("plain.txt"), text("x"), 1);
    assertThatThrownBy(() -> store.put(AppdataKey.of("plain.txt/deeper/x"), text("x"), 1))
        .isInstanceOf(AppdataKeyConflictException.class)
        .hasMessage(
            "the appdata key 'plain.txt' is a file, so it cannot also be a folder of keys in the"
                + " local store");
    assertThat(store.get(AppdataKey.of("clash/inner.txt"))).isPresent();
    assertThat(store.get(AppdataKey.of("plain.txt"))).isPresent();
  }

  @Test
  void hasNoPresignedUrls() {
    assertThat(store.presignedGetUrl(AppdataKey.of("any"), Duration.ofMinutes(5))).isEmpty();
  }
}
