/**
 * What every HTTP response and request gets: problem bodies for errors, the browser's security
 * headers, per-route body limits and the cross-site write check.
 */
package dev.plinth.platform.http;
