package dev.plinth.platform.appdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plinth.platform.appdata.AppdataStore.AppdataEntry;
import dev.plinth.platform.appdata.AppdataStore.AppdataObject;
import dev.plinth.platform.appdata.AppdataStore.AppdataPage;
import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.PlatformTestApplication;
import dev.plinth.platform.testing.TestModes;
import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The behaviour every {@link AppdataStore} backend must have. Each backend's test extends this and
 * says only how its environment is set; the store comes from a started platform context, so the
 * contract-to-bean wiring is tested too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AppdataStoreContract {
  static final long LARGE_OBJECT = 50L * 1024 * 1024;

  /** Above this heap a copy of the large object could fit beside the platform. */
  static final long SMALL_HEAP_LIMIT = 100L * 1024 * 1024;

  Path dataDir;
  ApplicationContext context;
  AppdataStore store;

  /** The backend's variables, added to a local environment whose data directory is given. */
  abstract Map<String, String> backendEnvironment(Path dataDir) throws Exception;

  /** The store class this backend's environment must select. */
  abstract Class<? extends AppdataStore> expectedStore();

  @BeforeAll
  void startPlatform() throws Exception {
    dataDir = Files.createTempDirectory("plinth-appdata-");
    Map<String, String> env = InProcessMode.localEnvironment(dataDir);
    env.putAll(backendEnvironment(dataDir));
    context = PlinthApplication.builder(TestModes.WEB, PlatformTestApplication.class, env).start();
    store = context.getBean(AppdataStore.class);
  }

  @AfterAll
  void stopPlatform() throws Exception {
    if (context != null) {
      context.close();
    }
  }

  @Test
  void theEnvironmentSelectsTheBackend() {
    assertThat(store).isInstanceOf(expectedStore());
  }

  @Test
  void roundTripsAnObjectOfKnownLength() throws IOException {
    AppdataKey key = AppdataKey.of("round-trip/known.txt");
    byte[] body = "hello appdata".getBytes(StandardCharsets.UTF_8);
    store.put(key, new ByteArrayInputStream(body), body.length);

    assertThat(read(key)).isEqualTo(body);
    assertThat(store.exists(key)).isTrue();
  }

  @Test
  void roundTripsAStreamOfUnknownLength() throws IOException {
    AppdataKey key = AppdataKey.of("round-trip/unknown.bin");
    byte[] body = new byte[300_000];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (i * 31);
    }
    store.put(key, new ByteArrayInputStream(body));

    assertThat(read(key)).isEqualTo(body);
  }

  @Test
  void roundTripsAnEmptyObject() throws IOException {
    AppdataKey key = AppdataKey.of("round-trip/empty");
    store.put(key, InputStream.nullInputStream(), 0);

    assertThat(read(key)).isEmpty();
  }

  @Test
  void aPutReplacesTheObject() throws IOException {
    AppdataKey key = AppdataKey.of("replace/me.txt");
    store.put(key, text("first version, longer"), AppdataStore.UNKNOWN_LENGTH);
    store.put(key, text("second"), AppdataStore.UNKNOWN_LENGTH);

    assertThat(new String(read(key), StandardCharsets.UTF_8)).isEqualTo("second");
  }

  @Test
  void aStreamShorterThanAnnouncedStoresNothing() throws IOException {
    AppdataKey key = AppdataKey.of("short/stream.txt");
    assertThatThrownBy(() -> store.put(key, text("only 11 b"), 100))
        .isInstanceOf(IOException.class);

    assertThat(store.exists(key)).isFalse();
  }

  @Test
  void aMissingObjectIsEmptyAndDoesNotExist() throws IOException {
    AppdataKey key = AppdataKey.of("missing/never-written");
    assertThat(store.get(key)).isEmpty();
    assertThat(store.exists(key)).isFalse();
  }

  @Test
  void aKeyThatNamesAFolderOfKeysIsNoObject() throws IOException {
    store.put(AppdataKey.of("folder/inner.txt"), text("in"), 2);
    assertThat(store.get(AppdataKey.of("folder"))).isEmpty();
    assertThat(store.exists(AppdataKey.of("folder"))).isFalse();
  }

  @Test
  void deleteRemovesTheObjectAndToleratesMissingOnes() throws IOException {
    AppdataKey key = AppdataKey.of("delete/me.txt");
    store.put(key, text("bye"), 3);
    store.delete(key);
    store.delete(key);

    assertThat(store.exists(key)).isFalse();
    assertThat(store.get(key)).isEmpty();
    assertThat(store.list("delete/", null, 10).entries()).isEmpty();
  }

  @Test
  void listPagesThroughAPrefixInOrder() throws IOException {
    List<String> expected = List.of("list/a", "list/b/1", "list/b/2", "list/c", "list/d.txt");
    for (String key : List.of("list/d.txt", "list/b/2", "list/a", "list/c", "list/b/1")) {
      store.put(AppdataKey.of(key), text(key), key.length());
    }
    store.put(AppdataKey.of("listing-elsewhere"), text("x"), 1);

    List<String> seen = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String token = null;
    do {
      AppdataPage page = store.list("list/", token, 2);
      pageSizes.add(page.entries().size());
      for (AppdataEntry entry : page.entries()) {
        seen.add(entry.key().value());
        assertThat(entry.size()).isEqualTo(entry.key().value().length());
        assertThat(entry.lastModified()).isNotNull();
      }
      token = page.nextToken().orElse(null);
    } while (token != null);

    assertThat(seen).isEqualTo(expected);
    // At most maxKeys per page (S3 may count folder markers it does not return).
    assertThat(pageSizes).hasSizeGreaterThanOrEqualTo(3).allMatch(size -> size <= 2);
    assertThat(store.list("list/b", null, 10).entries())
        .extracting(entry -> entry.key().value())
        .containsExactly("list/b/1", "list/b/2");
  }

  @Test
  void badKeysAndPrefixesAreRefused() {
    assertThatThrownBy(() -> store.list("../", null, 10))
        .isInstanceOf(InvalidAppdataKeyException.class);
    assertThatThrownBy(() -> store.list("/etc", null, 10))
        .isInstanceOf(InvalidAppdataKeyException.class);
    assertThatThrownBy(() -> store.list("a", null, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * 50 MB in and out, generated and digested on the fly: the store must stream it. The build runs
   * the appdata suites in a JVM whose heap cannot hold a 50 MB array beside the platform (the
   * appdata-small-heap execution in platform-lib's pom, -Xmx80m), so a store that buffered the
   * object whole fails here with OutOfMemoryError (checked: a readAllBytes() variant does).
   */
  @Test
  void roundTripsFiftyMegabytesWithoutHoldingThemInMemory() throws Exception {
    AppdataKey key = AppdataKey.of("large/fifty-megabytes.bin");
    if (Boolean.getBoolean("plinth.appdata.small-heap")) {
      // The execution that makes the memory claim must really have a small heap.
      assertThat(Runtime.getRuntime().maxMemory()).isLessThan(SMALL_HEAP_LIMIT);
    }
    MessageDigest written = sha256();
    store.put(key, new DigestInputStream(new GeneratedStream(LARGE_OBJECT), written), LARGE_OBJECT);

    MessageDigest read = sha256();
    long length;
    try (AppdataObject object = store.get(key).orElseThrow();
        InputStream in = new DigestInputStream(object.content(), read)) {
      assertThat(object.length()).isEqualTo(LARGE_OBJECT);
      length = in.transferTo(OutputStream.nullOutputStream());
    }

    assertThat(length).isEqualTo(LARGE_OBJECT);
    assertThat(HexFormat.of().formatHex(read.digest()))
        .isEqualTo(HexFormat.of().formatHex(written.digest()));
  }

  byte[] read(AppdataKey key) throws IOException {
    Optional<AppdataObject> object = store.get(key);
    assertThat(object).isPresent();
    try (AppdataObject found = object.get()) {
      byte[] body = found.content().readAllBytes();
      assertThat(found.length()).isEqualTo(body.length);
      return body;
    }
  }

  static InputStream text(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  static MessageDigest sha256() throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256");
  }

  /** Deterministic pseudo-random bytes (xorshift), generated as they are read. */
  static final class GeneratedStream extends InputStream {
    private long remaining;
    private long state = 0x9E3779B97F4A7C15L;

    GeneratedStream(long length) {
      this.remaining = length;
    }

    @Override
    public int read() {
      if (remaining <= 0) {
        return -1;
      }
      remaining--;
      return next() & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (remaining <= 0) {
        return -1;
      }
      int n = (int) Math.min(length, remaining);
      for (int i = 0; i < n; i++) {
        buffer[offset + i] = (byte) next();
      }
      remaining -= n;
      return n;
    }

    private int next() {
      state ^= state << 13;
      state ^= state >>> 7;
      state ^= state << 17;
      return (int) state;
    }
  }
}
