package dev.plinth.web;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Bearer JWTs for the WEB tests, signed as an issuer would sign them. */
final class TestTokens {
  private TestTokens() {}

  /** A token for {@code subject}; a null issuer or audience leaves that claim out. */
  static String sign(
      JWSSigner signer,
      JWSHeader header,
      String subject,
      String issuer,
      String audience,
      Duration life,
      String... roles)
      throws JOSEException {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .subject(subject)
            .issueTime(new Date())
            .expirationTime(Date.from(Instant.now().plus(life)))
            .claim("roles", List.of(roles));
    if (issuer != null) {
      claims.issuer(issuer);
    }
    if (audience != null) {
      claims.audience(audience);
    }
    SignedJWT jwt = new SignedJWT(header, claims.build());
    jwt.sign(signer);
    return jwt.serialize();
  }

  /** An hour's HS256 token for {@code subject}, without issuer or audience. */
  static String hs256(String secret, String subject, String... roles) throws JOSEException {
    return sign(
        new MACSigner(secret.getBytes(StandardCharsets.UTF_8)),
        new JWSHeader(JWSAlgorithm.HS256),
        subject,
        null,
        null,
        Duration.ofHours(1),
        roles);
  }
}
