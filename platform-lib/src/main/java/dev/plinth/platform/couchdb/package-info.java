/**
 * The optional CouchDB document store (docs/data.md, "Documents (CouchDB)"), switched on by {@code
 * COUCHDB_HOST}: a small client of CouchDB's JSON-over-HTTP API and its heartbeat check.
 */
package dev.plinth.platform.couchdb;
