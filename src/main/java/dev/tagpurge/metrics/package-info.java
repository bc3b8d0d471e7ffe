/**
 * Metric names and the metrics not owned by one layer (per-target gauges, consumer lag). Depends on
 * no other package.
 */
package dev.tagpurge.metrics;
