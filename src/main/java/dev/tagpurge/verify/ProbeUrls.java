package dev.tagpurge.verify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which URLs to probe for one purge: the purged URLs themselves (a path-only one on the target's
 * first host), then, for each purged tag that a {@code tag-urls} template matches, the URL that
 * template gives, in order, without duplicates, at most {@code max-urls}. Prefixes and purge-all
 * name no URL and are not probed.
 */
final class ProbeUrls {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private final List<TagTemplate> templates;
    private final Optional<String> defaultHost;
    private final int maxUrls;

    ProbeUrls(Map<String, String> tagUrls, Optional<String> defaultHost, int maxUrls) {
        this.templates =
                tagUrls.entrySet().stream()
                        .map(e -> TagTemplate.of(e.getKey(), e.getValue()))
                        .toList();
        this.defaultHost = defaultHost;
        this.maxUrls = maxUrls;
    }

    List<String> sample(List<String> urls, List<String> tags) {
        Set<String> out = new LinkedHashSet<>();
        for (String url : urls) {
            if (out.size() >= maxUrls) {
                return List.copyOf(out);
            }
            String u = url.strip();
            if (u.startsWith("/")) {
                // a path-only URL: on the target's first host, else it names no host to probe
                u = defaultHost.map(h -> "https://" + h).orElse("") + u;
            }
            out.add(u);
        }
        for (String tag : tags) {
            for (TagTemplate template : templates) {
                if (out.size() >= maxUrls) {
                    return List.copyOf(out);
                }
                template.urlFor(tag).ifPresent(out::add);
            }
        }
        return List.copyOf(out);
    }

    /** A tag template such as {@code product-{id}} and the URL template it gives. */
    record TagTemplate(Pattern tag, List<String> names, String url) {

        static TagTemplate of(String tagTemplate, String urlTemplate) {
            StringBuilder regex = new StringBuilder();
            List<String> names = new ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(tagTemplate);
            int last = 0;
            while (m.find()) {
                regex.append(Pattern.quote(tagTemplate.substring(last, m.start())));
                regex.append("(.+?)");
                names.add(m.group(1));
                last = m.end();
            }
            regex.append(Pattern.quote(tagTemplate.substring(last)));
            return new TagTemplate(Pattern.compile(regex.toString()), names, urlTemplate);
        }

        /** The probe URL for {@code tag}, if this template matches it. */
        Optional<String> urlFor(String tag) {
            Matcher m = this.tag.matcher(tag);
            if (!m.matches()) {
                return Optional.empty();
            }
            String result = url;
            for (int i = 0; i < names.size(); i++) {
                // encoded: a tag's value must not change the URL's host or path structure
                String value =
                        URLEncoder.encode(m.group(i + 1), StandardCharsets.UTF_8)
                                .replace("+", "%20");
                result = result.replace("{" + names.get(i) + "}", value);
            }
            return Optional.of(result);
        }
    }
}
