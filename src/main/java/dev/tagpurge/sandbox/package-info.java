/**
 * Emulators of the providers' purge APIs for development and tests: they record every purge and
 * inject faults on request. Not part of the purge flow.
 */
package dev.tagpurge.sandbox;
