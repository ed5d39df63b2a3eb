/**
 * WEB's side of authentication (docs/api.md, "Authentication" and "Pages"): what micronaut-security
 * does not bring itself here. The bearer challenge of the API; the pages' logins kept in the
 * session; the CSRF token their forms carry. The routes' rules are their controllers'
 * {@code @Secured} and the intercept-url-map of application.properties.
 */
package dev.plinth.web.security;
