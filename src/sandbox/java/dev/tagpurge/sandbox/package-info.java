/**
 * Emulators of the providers' purge APIs for development and tests: they record every purge and
 * inject faults on request. Compiled from {@code src/sandbox/java} into the tests and into the
 * standalone {@code target/tagpurge-sandbox.jar} ({@link dev.tagpurge.sandbox.SandboxMain}), never
 * into the service: no class of this package is in the production application.
 */
package dev.tagpurge.sandbox;
