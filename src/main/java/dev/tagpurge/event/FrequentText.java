package dev.tagpurge.event;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.Optional;

/**
 * One shared copy of each of the few values that a field takes again and again, such as an event's
 * {@code type} and {@code source}: read from the parser's characters, a value seen before costs no
 * new string, and an event in flight keeps a reference instead of its own copy (with the {@link
 * Optional} that {@link dev.tagpurge.domain.ChangeEvent} holds it in).
 *
 * <p>A small direct-mapped table: each value has one slot by its hash, and a value that finds its
 * slot taken by another takes it over. Memory stays bounded whatever the input (values longer than
 * {@link #MAX_LENGTH} are never kept), and a field with more values than slots only costs what it
 * cost before. Shared by the threads that parse: a slot holds an immutable entry, so a reader sees
 * either a whole entry or an older one, and a miss is only a new copy.
 */
final class FrequentText {

    /** Longer values are not kept: a type or source is a short name. */
    static final int MAX_LENGTH = 64;

    private static final int SLOTS = 256;

    private record Entry(String text, Optional<String> present) {}

    private final Entry[] slots = new Entry[SLOTS];

    /** The current token's text, a string value, as the shared copy of it. */
    String text(JsonParser p) throws IOException {
        return present(p).get();
    }

    /** The current token's text, a string value, in the shared {@code Optional} of it. */
    Optional<String> present(JsonParser p) throws IOException {
        int length = p.getTextLength();
        if (length > MAX_LENGTH) {
            return Optional.of(p.getText());
        }
        char[] chars = p.getTextCharacters();
        int offset = p.getTextOffset();
        int hash = 0;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + chars[offset + i];
        }
        int slot = (hash ^ hash >>> 16) & (SLOTS - 1);
        Entry e = slots[slot];
        // String.hashCode is the same sum, computed once per string
        if (e != null && e.text().hashCode() == hash && sameText(e.text(), chars, offset, length)) {
            return e.present();
        }
        String text = new String(chars, offset, length);
        Entry fresh = new Entry(text, Optional.of(text));
        slots[slot] = fresh;
        return fresh.present();
    }

    private static boolean sameText(String known, char[] chars, int offset, int length) {
        if (known.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (known.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
