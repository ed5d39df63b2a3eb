package dev.plinth.platform.secrets;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %msg} with every known secret value replaced ({@link SecretRedactor#forProcess()}): {@code
 * <conversionRule conversionWord="msg" class="...RedactingMessageConverter"/>}.
 */
public final class RedactingMessageConverter extends MessageConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return SecretRedactor.forProcess().redact(super.convert(event));
  }
}
