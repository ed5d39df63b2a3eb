/**
 * Secrets: KMS decryption of any variable at start-up, the encryptor for operators, and the
 * redaction of every known secret value from logs, errors and events.
 */
package dev.plinth.platform.secrets;
