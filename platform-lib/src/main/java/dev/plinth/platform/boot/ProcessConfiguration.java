package dev.plinth.platform.boot;

import dev.plinth.platform.config.PlinthSettings;
import dev.plinth.platform.config.ResolvedEnvironment;

/**
 * What a Plinth process starts from, before any application context exists: the environment with
 * its secrets resolved and the contract's settings parsed from it ({@link
 * PlinthApplication#resolve}).
 */
public record ProcessConfiguration(ResolvedEnvironment environment, PlinthSettings settings) {}
