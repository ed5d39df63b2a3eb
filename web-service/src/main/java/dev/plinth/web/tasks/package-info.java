/** The run state of a task by its id, as an API caller sees it. */
package dev.plinth.web.tasks;
