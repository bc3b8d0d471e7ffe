/**
 * Turns a change event into selectors with the ordered mapping rules (templates over the event's
 * fields). Depends only on {@code domain}.
 */
package dev.tagpurge.mapping;
