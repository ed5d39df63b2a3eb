/**
 * TLS to the backing services: the certificate authorities every client trusts ({@link
 * dev.plinth.platform.tls.TrustBundle}), the JVM's plus {@code APP_CA_BUNDLE}.
 */
package dev.plinth.platform.tls;
