package dev.plinth.platform.accounts;

import java.util.List;

/**
 * A login account as the application sees it: never its password hash.
 *
 * @param username what the login form asks for, and the principal's name (the {@code uid})
 * @param displayName how the pages greet its holder
 * @param roles what the routes' {@code @Secured} rules may ask for
 */
public record Account(String username, String displayName, List<String> roles) {}
