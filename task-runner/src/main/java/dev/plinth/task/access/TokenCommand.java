package dev.plinth.task.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.plinth.platform.config.PlinthSettings;
import dev.plinth.task.commands.CommandFailure;
import dev.plinth.task.commands.TaskArguments;
import io.micronaut.context.annotation.Prototype;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code token --subject NAME [--role ROLE]... [--ttl DURATION]}: prints a bearer JWT that WEB
 * accepts, signed HS256 with {@code APP_JWT_SECRET} and carrying {@code APP_JWT_ISSUER} and {@code
 * APP_JWT_AUDIENCE} when set: the seed's {@code createsuperuser} for an API of tokens. Whoever
 * holds the secret can mint tokens anyway; with {@code APP_JWT_JWKS_URL} the issuer's private keys
 * are elsewhere and this refuses.
 */
@Prototype
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Print a bearer JWT for the API, signed with APP_JWT_SECRET.")
public class TokenCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--subject", required = true, description = "The token's subject (the uid).")
  String subject;

  @Option(names = "--role", description = "A role for its roles claim; repeatable.")
  List<String> roles = List.of();

  @Option(
      names = "--ttl",
      defaultValue = "1h",
      description = "How long it is valid: 30m, 12h, or ISO-8601 (PT8H); at most 30 days.")
  String ttl;

  @Inject PlinthSettings settings;

  @Override
  public Integer call() {
    PlinthSettings.Jwt jwt =
        settings
            .jwt()
            .filter(j -> j.secret().isPresent())
            .orElseThrow(
                () ->
                    new CommandFailure(
                        "token needs APP_JWT_SECRET: WEB checks no shared secret (with"
                            + " APP_JWT_JWKS_URL the issuer signs its own tokens)"));
    Duration life = TaskArguments.duration("--ttl", ttl);
    if (life.isNegative() || life.isZero() || life.compareTo(Duration.ofDays(30)) > 0) {
      throw new CommandFailure("--ttl: between a second and 30 days");
    }
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .subject(subject)
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(life)))
            .claim("roles", roles);
    jwt.issuer().ifPresent(claims::issuer);
    jwt.audience().ifPresent(claims::audience);
    SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
    try {
      token.sign(
          new MACSigner(jwt.secret().orElseThrow().reveal().getBytes(StandardCharsets.UTF_8)));
    } catch (JOSEException e) {
      throw new CommandFailure("token: cannot sign (" + e.getMessage() + ")", e);
    }
    spec.commandLine().getOut().println(token.serialize());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
