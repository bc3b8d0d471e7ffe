/**
 * The end of the flow: writes one completion event per change event once every target it routes to
 * has an outcome.
 */
package dev.tagpurge.completion;
