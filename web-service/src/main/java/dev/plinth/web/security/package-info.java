/**
 * WEB's side of authentication (docs/api.md, "Authentication" and "Pages"): what micronaut-security
 * does not bring itself here. The bearer challenge of the API; the pages' logins kept in the
 * session; the CSRF token their forms carry; the reads' rule ({@code @Read}); micronaut-security's
 * filter decided without a reactive pipeline. The routes' rules are their controllers'
 * {@code @Secured} and, for the anonymous paths, the intercept-url-map of application.properties.
 */
package dev.plinth.web.security;
