/**
 * WEB's HTML pages: the example's hello page and counter (the visitor's own count in the session),
 * and the form login and log-out with {@code APP_LOGIN} (docs/api.md, "Pages").
 */
package dev.plinth.web.pages;
