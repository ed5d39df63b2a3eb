package dev.plinth.web.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a route that reads: with authentication on it needs a login, or nothing with {@code
 * APP_ANONYMOUS_READS} (docs/api.md, "Authentication"). {@link ReadRule} decides it; HEAD follows
 * its GET. A route's own rule rather than a {@code @Secured} value with a placeholder, which is
 * resolved again at every request, or an intercept-url-map pattern, matched against every path.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Read {}
