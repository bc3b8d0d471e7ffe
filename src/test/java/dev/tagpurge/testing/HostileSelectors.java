package dev.tagpurge.testing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A corpus of hostile URL and prefix selectors for the property tests of the request builders:
 * hand-written attacks on the providers' API paths plus random combinations of the pieces such
 * attacks are made of (dot segments, encoded dots, {@code ?}, {@code #}, {@code %}, {@code \},
 * CR/LF, unicode, {@code //}, {@code @}, user information, ports, IPv6 literals, very long values).
 * The random part has a fixed seed, so a failure names a value that reproduces.
 */
public final class HostileSelectors {

    private static final List<String> ATTACKS =
            List.of(
                    "https://x/../../service/ID/purge_all",
                    "https://x/a/../../../service/SVC1/purge_all",
                    "/../../service/SVC1/purge_all",
                    "/%2e%2e/%2e%2e/service/SVC1/purge_all",
                    "/%2E%2E/%2e./.%2e/zones/Z/settings",
                    "https://x/%252e%252e/%252e%252e/service/SVC1/purge_all",
                    "https://x/a%2f..%2f..%2fservice%2fSVC1%2fpurge_all",
                    "https://x%2F..%2F..%2Fservice/SVC1/purge_all",
                    "https://x/a?/../../service/SVC1/purge_all",
                    "https://x/a#/../../service/SVC1/purge_all",
                    "https://x/a?x=1#?y=/../purge_all",
                    "https://x/%",
                    "https://x/%zz",
                    "https://x/a%2",
                    "https://x/a\\..\\..\\service\\SVC1\\purge_all",
                    "https://x\\@evil.example/a",
                    "https://x/a\r\nFastly-Key: stolen",
                    "https://x/a\nHost: evil.example",
                    "https://x/a\u0000b",
                    "https://user:pw@x/a",
                    "https://evil.example@x/a",
                    "https://x:8080/a",
                    "https://x:99999/a",
                    "https://x:/a",
                    "https://[::1]/a",
                    "https://[::1]:8443/../a",
                    "https://[::1/a",
                    "https://exämple.com/größe ü/😀",
                    "https://x/\u2028/\u202e",
                    "//evil.example/service/SVC1/purge_all",
                    "///a",
                    "https:///a",
                    "https://",
                    "http:/x/a",
                    "ftp://x/a",
                    "javascript:alert(1)",
                    "file:///etc/passwd",
                    "HTTPS://X.Example.COM:443/A/./B/../C",
                    "x.example/a/../..",
                    "x.example/../service",
                    "/a/%2e",
                    "/a/.",
                    "/.",
                    "/..",
                    "/",
                    "",
                    " ",
                    "*",
                    "/*",
                    "?",
                    "#",
                    "%",
                    "@",
                    ":",
                    "/a b/ c ?d e",
                    "/a\"<>{}|^`[]'/",
                    "/" + "a".repeat(5000),
                    "https://x/" + "%2e%2e/".repeat(700) + "purge_all",
                    "https://x/" + "a/".repeat(3000));

    private static final List<String> BASES =
            List.of(
                    "",
                    "https://x",
                    "http://X.Example.COM",
                    "https://user:pw@x",
                    "https://x:8080",
                    "https://[::1]",
                    "x.example",
                    "//x",
                    "HTTPS://x.",
                    "ftp://x",
                    "https://ex%61mple.com");

    private static final List<String> PIECES =
            List.of(
                    "/",
                    "..",
                    ".",
                    "%2e%2e",
                    "%2E.",
                    ".%2e",
                    "%252e%252e",
                    "?",
                    "#",
                    "%",
                    "%zz",
                    "%2F",
                    "%2f",
                    "\\",
                    "\r\n",
                    "\n",
                    " ",
                    "ü",
                    "😀",
                    "//",
                    "@",
                    ":",
                    "service",
                    "SVC1",
                    "purge_all",
                    "purge",
                    "*",
                    "[",
                    "]",
                    "{",
                    "}",
                    "|",
                    "^",
                    "`",
                    "\"",
                    "<",
                    ">",
                    "'",
                    "\u0000",
                    "\u2028",
                    ";",
                    "&",
                    "=",
                    "+",
                    "~",
                    "%00",
                    "%0d%0a",
                    "a",
                    "zones",
                    "ccu");

    private HostileSelectors() {}

    /** The hand-written attacks plus {@code randomCount} random combinations. */
    public static List<String> corpus(int randomCount) {
        Set<String> out = new LinkedHashSet<>(ATTACKS);
        Random random = new Random(20261202L);
        while (out.size() < ATTACKS.size() + randomCount) {
            StringBuilder value = new StringBuilder(BASES.get(random.nextInt(BASES.size())));
            int pieces = 1 + random.nextInt(8);
            for (int i = 0; i < pieces; i++) {
                if (random.nextInt(3) == 0) {
                    value.append('/');
                }
                value.append(PIECES.get(random.nextInt(PIECES.size())));
            }
            out.add(value.toString());
        }
        return new ArrayList<>(out);
    }
}
