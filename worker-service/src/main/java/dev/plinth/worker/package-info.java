/** The WORKER mode's process: its one-line main. */
package dev.plinth.worker;
