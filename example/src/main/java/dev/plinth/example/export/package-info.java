/**
 * The example's export: the task contract and handler that write every note as CSV into appdata.
 */
package dev.plinth.example.export;
