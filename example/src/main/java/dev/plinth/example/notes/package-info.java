/**
 * The example's notes: the entity and its Micronaut Data repository, and their free-form attributes
 * in the CouchDB document store when there is one.
 */
package dev.plinth.example.notes;
