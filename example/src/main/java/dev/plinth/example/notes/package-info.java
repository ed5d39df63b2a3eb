/** The example's notes: the entity and its Micronaut Data repository. */
package dev.plinth.example.notes;
