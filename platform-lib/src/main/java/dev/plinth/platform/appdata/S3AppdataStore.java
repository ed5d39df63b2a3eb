package dev.plinth.platform.appdata;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Appdata in S3: every key lives under the configured prefix of the bucket. Objects up to one part
 * go up in one PUT; larger ones as a multipart upload whose parts are read one at a time (memory:
 * one part, not the object), whether or not the length is known in advance.
 */
public final class S3AppdataStore implements AppdataStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(S3AppdataStore.class);
  private final S3Client s3;
  private final S3Presigner presigner;
  private final String bucket;
  private final String prefix;
  private final int partSize;

  /**
   * @param prefix the key prefix, empty or ending with '/'
   * @param partSize bytes per multipart part, at least 5 MiB (S3's minimum); objects up to this
   *     size go up in one PUT
   */
  public S3AppdataStore(
      S3Client s3, S3Presigner presigner, String bucket, String prefix, int partSize) {
    if (partSize < 5 * 1024 * 1024) {
      throw new IllegalArgumentException("part size must be at least 5 MiB");
    }
    this.s3 = s3;
    this.presigner = presigner;
    this.bucket = bucket;
    this.prefix = prefix;
    this.partSize = partSize;
  }

  public String bucket() {
    return bucket;
  }

  public String prefix() {
    return prefix;
  }

  @Override
  public void put(AppdataKey key, InputStream content, long length) throws IOException {
    String objectKey = objectKey(key);
    InputStream source =
        length == UNKNOWN_LENGTH ? content : new ExactLengthStream(content, length);
    try {
      // Everything goes through one part-sized buffer: the SDK signs a payload by reading it
      // twice, which a caller's stream cannot do, and memory stays at one part per upload.
      byte[] part = new byte[partSize];
      int first = source.readNBytes(part, 0, partSize);
      if (first < partSize) {
        s3.putObject(
            b -> b.bucket(bucket).key(objectKey),
            RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, first), first));
        return;
      }
      multipart(objectKey, source, part);
    } catch (SdkException e) {
      throw new IOException("appdata put of " + key + " failed: " + e.getMessage(), e);
    }
  }

  private void multipart(String objectKey, InputStream content, byte[] part) throws IOException {
    String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(objectKey)).uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      int size = part.length;
      for (int number = 1; size > 0; number++) {
        int partNumber = number;
        int partLength = size;
        String etag =
            s3.uploadPart(
                    b ->
                        b.bucket(bucket)
                            .key(objectKey)
                            .uploadId(uploadId)
                            .partNumber(partNumber)
                            .contentLength((long) partLength),
                    RequestBody.fromInputStream(
                        new ByteArrayInputStream(part, 0, partLength), partLength))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
        size = content.readNBytes(part, 0, part.length);
      }
      s3.completeMultipartUpload(
          b ->
              b.bucket(bucket)
                  .key(objectKey)
                  .uploadId(uploadId)
                  .multipartUpload(m -> m.parts(parts)));
    } catch (IOException | RuntimeException e) {
      try {
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId));
      } catch (SdkException abort) {
        e.addSuppressed(abort);
      }
      throw e;
    }
  }

  @Override
  public Optional<AppdataObject> get(AppdataKey key) throws IOException {
    try {
      ResponseInputStream<GetObjectResponse> in =
          s3.getObject(b -> b.bucket(bucket).key(objectKey(key)));
      return Optional.of(new AppdataObject(key, in.response().contentLength(), in));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw new IOException("appdata get of " + key + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean exists(AppdataKey key) throws IOException {
    try {
      s3.headObject(b -> b.bucket(bucket).key(objectKey(key)));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw new IOException("appdata exists of " + key + " failed: " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new IOException("appdata exists of " + key + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public AppdataPage list(String listPrefix, String continuationToken, int maxKeys)
      throws IOException {
    String checked = AppdataKey.checkPrefix(listPrefix);
    LocalDirectoryAppdataStore.checkMaxKeys(maxKeys);
    try {
      ListObjectsV2Response page =
          s3.listObjectsV2(
              b ->
                  b.bucket(bucket)
                      .prefix(prefix + checked)
                      .maxKeys(maxKeys)
                      .continuationToken(continuationToken));
      List<AppdataEntry> entries = new ArrayList<>();
      for (S3Object object : page.contents()) {
        if (object.key().endsWith("/")) {
          continue; // a "folder" marker (consoles and some servers make them), not an object
        }
        AppdataKey key;
        try {
          key = AppdataKey.of(object.key().substring(prefix.length()));
        } catch (InvalidAppdataKeyException e) {
          // Put there by something else: no request could name it, so it is not listed, and
          // one such object does not cost the caller the rest of the page.
          LOG.atWarn()
              .addKeyValue("bucket", bucket)
              .addKeyValue("reason", e.getMessage())
              .log("appdata.list.skipped: an object whose key appdata refuses");
          continue;
        }
        entries.add(new AppdataEntry(key, object.size(), object.lastModified()));
      }
      Optional<String> next =
          Boolean.TRUE.equals(page.isTruncated())
              ? Optional.ofNullable(page.nextContinuationToken())
              : Optional.empty();
      return new AppdataPage(entries, next);
    } catch (SdkException e) {
      throw new IOException("appdata list of '" + checked + "' failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(AppdataKey key) throws IOException {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(objectKey(key)));
    } catch (SdkException e) {
      throw new IOException("appdata delete of " + key + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<URI> presignedGetUrl(AppdataKey key, Duration validFor) {
    try {
      return Optional.of(
          presigner
              .presignGetObject(
                  b ->
                      b.signatureDuration(validFor)
                          .getObjectRequest(g -> g.bucket(bucket).key(objectKey(key))))
              .url()
              .toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException("the SDK signed an invalid URL", e);
    }
  }

  private String objectKey(AppdataKey key) {
    return prefix + key.value();
  }

  @Override
  public void close() {
    presigner.close();
    s3.close();
  }
}
