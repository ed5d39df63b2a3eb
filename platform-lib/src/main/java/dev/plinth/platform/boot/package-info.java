/**
 * How a Plinth process starts and stops: secrets resolved, the contract validated, Micronaut
 * started on the result, and the SIGTERM drain.
 */
package dev.plinth.platform.boot;
