/**
 * The TASK mode's process: the root command, the example's {@code notes} command and the one-line
 * main.
 */
package dev.plinth.task;
