package dev.tagpurge.purge.cloudfront;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces many paths of one invalidation that lie in one directory by that directory's wildcard,
 * {@code /dir/*}, which CloudFront bills as one path. Pure functions.
 *
 * <p>"In one directory": a path {@code /a/b/c.html?v=2} lies in {@code /a/} and in {@code /a/b/}
 * (the part before {@code ?}, cut after each {@code /}), never in the root {@code /}. Directories
 * are taken deepest first: one that holds more than {@code threshold} items of the invalidation
 * (its paths not yet replaced, plus the wildcards already chosen inside it) is replaced by its
 * wildcard, which also absorbs the wildcards inside it. So the wildcard chosen is the longest
 * common directory of the paths it replaces, and a shallower one only when the deeper ones left
 * more than {@code threshold} items there. The root is never collapsed ({@code /*} is everything).
 *
 * <p>The trade-off: a wildcard invalidates every object under the directory, also those not
 * changed, so the origin serves more misses. And each wildcard counts against CloudFront's 15
 * wildcards in progress: no more than {@code maxWildcards} are made in one invalidation.
 */
final class WildcardCollapse {

    private WildcardCollapse() {}

    /**
     * The invalidation paths after collapsing; {@code paths} unchanged when nothing collapses. A
     * wildcard takes the place of the first path it replaces; other paths keep their order. Tags
     * ({@code #…}) and paths already ending in {@code *} are kept as they are and not counted.
     *
     * @param threshold collapse a directory holding more than this many items; at least 1
     * @param maxWildcards the most wildcards the result may hold, those in {@code paths} included
     */
    static List<String> collapse(List<String> paths, int threshold, int maxWildcards) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1, was " + threshold);
        }
        Map<String, List<Integer>> byDirectory = new HashMap<>();
        int wildcards = 0;
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            if (!plain(path)) {
                wildcards += CloudFrontPaths.isWildcard(path) ? 1 : 0;
                continue;
            }
            for (String directory : directories(path)) {
                byDirectory.computeIfAbsent(directory, d -> new ArrayList<>()).add(i);
            }
        }
        List<String> deepestFirst =
                byDirectory.entrySet().stream()
                        .filter(e -> e.getValue().size() > threshold)
                        .map(Map.Entry::getKey)
                        .sorted(
                                Comparator.comparingInt(WildcardCollapse::depth)
                                        .reversed()
                                        .thenComparing(Comparator.naturalOrder()))
                        .toList();
        String[] replacedBy = new String[paths.size()];
        Set<String> chosen = new LinkedHashSet<>();
        for (String directory : deepestFirst) {
            List<String> inside = chosen.stream().filter(c -> c.startsWith(directory)).toList();
            long left =
                    byDirectory.get(directory).stream().filter(i -> replacedBy[i] == null).count();
            int more = 1 - inside.size();
            if (left + inside.size() > threshold && wildcards + more <= maxWildcards) {
                inside.forEach(chosen::remove);
                chosen.add(directory);
                wildcards += more;
                byDirectory.get(directory).forEach(i -> replacedBy[i] = directory);
            }
        }
        if (chosen.isEmpty()) {
            return paths;
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < paths.size(); i++) {
            out.add(replacedBy[i] == null ? paths.get(i) : replacedBy[i] + "*");
        }
        return List.copyOf(out);
    }

    /** The directories a path lies in, shallowest first, the root left out. */
    static List<String> directories(String path) {
        int query = path.indexOf('?');
        String pathPart = query < 0 ? path : path.substring(0, query);
        List<String> directories = new ArrayList<>();
        for (int slash = pathPart.indexOf('/', 1);
                slash > 0;
                slash = pathPart.indexOf('/', slash + 1)) {
            directories.add(pathPart.substring(0, slash + 1));
        }
        return directories;
    }

    private static boolean plain(String path) {
        return path.startsWith("/") && !CloudFrontPaths.isWildcard(path);
    }

    private static int depth(String directory) {
        return (int) directory.chars().filter(c -> c == '/').count();
    }
}
