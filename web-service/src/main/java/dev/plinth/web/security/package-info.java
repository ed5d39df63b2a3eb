/**
 * WEB's side of authentication (docs/api.md, "Authentication"): what micronaut-security-jwt does
 * not bring itself. The routes' rules are their controllers' {@code @Secured}.
 */
package dev.plinth.web.security;
