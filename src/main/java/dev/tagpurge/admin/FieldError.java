package dev.tagpurge.admin;

/**
 * What is wrong with one field of a request.
 *
 * @param field the JSON field ({@code ticket}, {@code tags[3]}, {@code body} for the whole body)
 * @param message what is wrong, never echoing a secret
 */
public record FieldError(String field, String message) {}
