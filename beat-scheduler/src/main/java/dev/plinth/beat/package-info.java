/** The BEAT mode's process: its one-line main and the example's schedules. */
package dev.plinth.beat;
