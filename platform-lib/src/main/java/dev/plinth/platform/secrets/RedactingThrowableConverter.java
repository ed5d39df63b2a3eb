package dev.plinth.platform.secrets;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/**
 * {@code %ex} with every known secret value replaced (exception messages carry values more often
 * than log messages do): {@code <conversionRule conversionWord="ex"
 * class="...RedactingThrowableConverter"/>}.
 */
public final class RedactingThrowableConverter extends ThrowableProxyConverter {
  @Override
  protected String throwableProxyToString(IThrowableProxy proxy) {
    return SecretRedactor.forProcess().redact(super.throwableProxyToString(proxy));
  }
}
