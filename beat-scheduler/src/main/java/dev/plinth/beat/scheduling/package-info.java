/**
 * BEAT's scheduler: schedules from code and configuration, cron and interval triggers, the
 * once-per-due-run claim in {@code beat_runs}, the housekeeping that republishes what a crash left
 * unpublished, and the {@code beat} heartbeat check (docs/scheduling.md).
 */
package dev.plinth.beat.scheduling;
