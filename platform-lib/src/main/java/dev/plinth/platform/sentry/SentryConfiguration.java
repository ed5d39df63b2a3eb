package dev.plinth.platform.sentry;

import dev.plinth.platform.config.PlinthProperties;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code plinth.sentry.*}; defaults in plinth-defaults.properties. Sentry itself is switched on by
 * {@code SENTRY_DSN} (after KMS decryption) and can be forced off with {@code
 * plinth.sentry.enabled=false}.
 *
 * @param enabled the off switch ({@code PLINTH_SENTRY_ENABLED=false})
 * @param environment the Sentry environment ({@code APP_ENVIRONMENT}, default {@code production})
 * @param release overrides the release read from version.json
 * @param serverName overrides the host name
 * @param versionFile the Dockerflow version.json the release is read from
 */
@ConfigurationProperties(PlinthProperties.SENTRY)
public record SentryConfiguration(
    boolean enabled,
    String environment,
    @Nullable String release,
    @Nullable String serverName,
    String versionFile) {}
