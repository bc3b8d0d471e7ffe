/**
 * The start of the flow and its orchestration: reads change events from Kafka, parses and validates
 * them, hands them to {@code mapping} and {@code purge}, writes their outcome through {@code
 * completion} and dead letters, commits offsets, checks the configuration at startup and drains on
 * shutdown. It may call every later layer; none calls it.
 */
package dev.tagpurge.event;
