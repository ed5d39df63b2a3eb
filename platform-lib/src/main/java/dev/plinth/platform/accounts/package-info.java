/**
 * The accounts WEB's form login checks (docs/api.md, "Pages"): usernames, display names, roles and
 * BCrypt password hashes in the database (platform migration V7), made and changed by TASK's {@code
 * account} command.
 */
package dev.plinth.platform.accounts;
