/**
 * Traces (docs/observability.md, "Traces"): micronaut-tracing's OpenTelemetry SDK, configured by
 * the standard {@code OTEL_*} variables after the secret resolver, and the W3C trace context of
 * task messages (spans for each publish and each attempt), which micronaut-tracing has no module
 * for.
 */
package dev.plinth.platform.tracing;
