/**
 * The environment contract: every variable, parsed and validated into {@link
 * dev.plinth.platform.config.PlinthSettings}, and the one-line error a bad one stops start-up with.
 */
package dev.plinth.platform.config;
