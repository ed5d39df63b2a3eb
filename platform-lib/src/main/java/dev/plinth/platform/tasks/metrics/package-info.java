/**
 * The task layer's meters (docs/observability.md, "Task metrics"): runs by task and outcome, run
 * time and queue wait, tasks in flight, publishes and their confirm latency, dead letters, and each
 * task queue's depth as the broker counts it. Label values are task and queue names, never ids.
 */
package dev.plinth.platform.tasks.metrics;
