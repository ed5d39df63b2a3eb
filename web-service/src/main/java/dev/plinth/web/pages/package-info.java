/** The example's hello page and counter, with the visitor's own count in the session. */
package dev.plinth.web.hello;
