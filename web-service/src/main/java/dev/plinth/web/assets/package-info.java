/**
 * The application's static assets (docs/api.md, "Static assets"): files under {@code public/} on
 * the class path, served at {@code /static/} with validators, caching by name and precompressed
 * variants, and fingerprinted URLs for pages to link to.
 */
package dev.plinth.web.assets;
