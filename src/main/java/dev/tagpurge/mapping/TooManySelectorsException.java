package dev.tagpurge.mapping;

/**
 * A template would expand an event into more selectors than {@code tagpurge.input.max-selectors}.
 */
public final class TooManySelectorsException extends Exception {

    public TooManySelectorsException(String template, long selectors, long limit) {
        super(
                "template "
                        + template
                        + " expands to "
                        + (selectors == Long.MAX_VALUE ? "more than 2^63" : selectors)
                        + " selectors, above max-selectors "
                        + limit,
                null,
                false,
                false);
    }

    /** The running total of an event's selectors went above {@code limit}. */
    public TooManySelectorsException(long selectors, long limit) {
        super(
                "at least " + selectors + " selectors exceed max-selectors " + limit,
                null,
                false,
                false);
    }
}
