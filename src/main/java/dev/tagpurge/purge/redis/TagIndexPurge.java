package dev.tagpurge.purge.redis;

import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Deletes the keys registered in tag index sets, and the sets themselves. Members leave a set only
 * once their keys are deleted, so a crash mid-purge leaves the rest in the set for the retry.
 */
interface TagIndexPurge {

    /** Members popped from a set per step; also the bound on keys one UNLINK carries. */
    int CHUNK = 1000;

    /**
     * Purges every set in {@code setKeys} completely.
     *
     * @return the number of cached keys that existed and were deleted
     */
    Uni<Long> purge(List<String> setKeys);
}
