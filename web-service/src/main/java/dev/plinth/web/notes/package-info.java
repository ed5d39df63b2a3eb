/** The example's notes API: create, read, update and list notes. */
package dev.plinth.web.notes;
