/**
 * Routes an event's selectors to targets and runs each target's pipeline (coalescing window, rate
 * limiter, retries, deadline) against its provider adapter; the adapters live in the subpackages,
 * one per provider, and never use each other. Tracks each event's progress ({@link
 * dev.tagpurge.purge.EventProgress}), from which {@code event} builds the completion event.
 */
package dev.tagpurge.purge;
