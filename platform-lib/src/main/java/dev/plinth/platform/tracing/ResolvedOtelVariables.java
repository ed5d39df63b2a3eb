package dev.plinth.platform.tracing;

import dev.plinth.platform.config.PlinthProperties;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.tracing.opentelemetry.OpenTelemetryBuilderCustomizer;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;

/**
 * Hands the SDK the {@code otel.*} properties as Micronaut holds them: {@code OTEL_*} variables
 * after the secret resolver, and the contract's choices. The SDK also reads the raw environment,
 * and ranks it above what micronaut-tracing supplies, so a KMS-encrypted {@code
 * OTEL_EXPORTER_OTLP_HEADERS} would otherwise reach the collector as ciphertext.
 */
@Singleton
@Requires(property = PlinthProperties.TRACING_ENABLED, value = "true")
final class ResolvedOtelVariables implements OpenTelemetryBuilderCustomizer {
  private final Map<String, String> resolved;

  ResolvedOtelVariables(
      @Property(name = "otel") @MapFormat(transformation = MapFormat.MapTransformation.FLAT)
          Map<String, String> otel) {
    Map<String, String> properties = new HashMap<>();
    otel.forEach((key, value) -> properties.put("otel." + key, value));
    this.resolved = Map.copyOf(properties);
  }

  @Override
  public void configure(AutoConfiguredOpenTelemetrySdkBuilder builder) {
    builder.addPropertiesCustomizer(config -> resolved);
  }
}
