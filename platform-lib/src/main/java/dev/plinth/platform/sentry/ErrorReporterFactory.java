package dev.plinth.platform.sentry;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The {@link ErrorReporter} bean: Sentry's when it is on, {@link ErrorReporter#NONE} otherwise. */
@Factory
final class ErrorReporterFactory {
  @Singleton
  ErrorReporter errorReporter(BeanProvider<SentryLifecycle> sentry) {
    // SentryErrorReporter (and with it the Sentry SDK) is loaded only when Sentry is on.
    return sentry.isPresent() ? new SentryErrorReporter() : ErrorReporter.NONE;
  }
}
