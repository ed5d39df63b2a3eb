package dev.plinth.platform.appdata;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The embedded default: objects as files under {@code APP_DATA_DIR/appdata}. A put writes a temp
 * file beside the root and moves it into place atomically. Keys are validated by {@link
 * AppdataKey}, and each resolved path is checked to stay under the root. A key cannot be both an
 * object and a "directory" of other keys here (S3 allows it): such a put fails with {@link
 * AppdataKeyConflictException}, and a key that names a directory is no object.
 */
public final class LocalDirectoryAppdataStore implements AppdataStore {
  private final Path root;
  private final Path temp;

  public LocalDirectoryAppdataStore(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.temp = this.root.resolveSibling(this.root.getFileName() + ".tmp");
    Files.createDirectories(this.root);
    Files.createDirectories(this.temp);
  }

  public Path root() {
    return root;
  }

  @Override
  public void put(AppdataKey key, InputStream content, long length) throws IOException {
    Path target = path(key);
    checkNoCollision(key, target);
    Files.createDirectories(target.getParent());
    Path partial = temp.resolve(UUID.randomUUID() + ".part");
    try {
      try (OutputStream out = Files.newOutputStream(partial)) {
        (length == UNKNOWN_LENGTH ? content : new ExactLengthStream(content, length))
            .transferTo(out);
      }
      try {
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  // Checked before anything is written; a race with another instance's put still fails, as an
  // IOException, but nothing is left half-written.
  private void checkNoCollision(AppdataKey key, Path target) {
    if (Files.isDirectory(target)) {
      throw new AppdataKeyConflictException(
          "the appdata key '" + key + "' is a folder of other keys in the local store");
    }
    for (Path dir = target.getParent(); !dir.equals(root); dir = dir.getParent()) {
      if (Files.isRegularFile(dir)) {
        throw new AppdataKeyConflictException(
            "the appdata key '"
                + root.relativize(dir).toString().replace(dir.getFileSystem().getSeparator(), "/")
                + "' is a file, so it cannot also be a folder of keys in the local store");
      }
    }
  }

  @Override
  public Optional<AppdataObject> get(AppdataKey key) throws IOException {
    Path file = path(key);
    if (!Files.isRegularFile(file)) {
      // Absent, or a directory: opening one succeeds on Linux, reading it would fail mid-response.
      return Optional.empty();
    }
    try {
      InputStream in = Files.newInputStream(file);
      return Optional.of(new AppdataObject(key, Files.size(file), in));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean exists(AppdataKey key) {
    return Files.isRegularFile(path(key));
  }

  @Override
  public AppdataPage list(String prefix, String continuationToken, int maxKeys) throws IOException {
    String checked = AppdataKey.checkPrefix(prefix);
    checkMaxKeys(maxKeys);
    // Walk only the deepest directory the prefix names; filter the rest by string prefix.
    int slash = checked.lastIndexOf('/');
    Path start = slash < 0 ? root : inside(root.resolve(checked.substring(0, slash)));
    if (!Files.isDirectory(start)) {
      return new AppdataPage(List.of(), Optional.empty());
    }
    List<String> keys = new ArrayList<>();
    try (Stream<Path> files = Files.walk(start)) {
      files
          .filter(Files::isRegularFile)
          .map(
              file ->
                  root.relativize(file)
                      .toString()
                      .replace(file.getFileSystem().getSeparator(), "/"))
          .filter(key -> key.startsWith(checked))
          .filter(key -> continuationToken == null || key.compareTo(continuationToken) > 0)
          .forEach(keys::add);
    }
    keys.sort(String::compareTo);
    List<AppdataEntry> entries = new ArrayList<>();
    for (String key : keys.subList(0, Math.min(maxKeys, keys.size()))) {
      try {
        BasicFileAttributes attributes =
            Files.readAttributes(root.resolve(key), BasicFileAttributes.class);
        entries.add(
            new AppdataEntry(
                AppdataKey.of(key), attributes.size(), attributes.lastModifiedTime().toInstant()));
      } catch (NoSuchFileException | InvalidAppdataKeyException e) {
        // deleted by another instance meanwhile, or a file no key could name: not listed
      }
    }
    Optional<String> next =
        keys.size() > maxKeys ? Optional.of(keys.get(maxKeys - 1)) : Optional.empty();
    return new AppdataPage(entries, next);
  }

  @Override
  public void delete(AppdataKey key) throws IOException {
    Path file = path(key);
    if (!Files.isRegularFile(file)) {
      return;
    }
    Files.deleteIfExists(file);
    // Remove directories the delete left empty, as S3 has no directories to leave behind.
    for (Path dir = file.getParent(); !dir.equals(root); dir = dir.getParent()) {
      try {
        Files.deleteIfExists(dir);
      } catch (DirectoryNotEmptyException e) {
        break;
      }
    }
  }

  @Override
  public Optional<URI> presignedGetUrl(AppdataKey key, Duration validFor) {
    return Optional.empty();
  }

  static void checkMaxKeys(int maxKeys) {
    if (maxKeys < 1 || maxKeys > 1000) {
      throw new IllegalArgumentException("maxKeys must be from 1 to 1000");
    }
  }

  private Path path(AppdataKey key) {
    return inside(root.resolve(key.value()));
  }

  // Defence in depth: AppdataKey already refuses anything that could leave the root.
  private Path inside(Path path) {
    Path normalised = path.normalize();
    if (!normalised.startsWith(root) || normalised.equals(root)) {
      throw new InvalidAppdataKeyException("an appdata key must stay inside the store");
    }
    return normalised;
  }
}
