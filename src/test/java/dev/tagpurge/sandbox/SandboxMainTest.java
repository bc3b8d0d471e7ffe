package dev.tagpurge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The standalone sandbox's command line and what it prints once it listens. */
class SandboxMainTest {

    @Test
    void defaultsToTheLoopbackAddressOnPort8081() {
        SandboxMain.Options options = SandboxMain.Options.parse(List.of());

        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.port()).isEqualTo(8081);
        assertThat(options.help()).isFalse();
    }

    @Test
    void takesPortAndHost() {
        SandboxMain.Options options =
                SandboxMain.Options.parse(List.of("--port", "0", "--host", "0.0.0.0"));

        assertThat(options.port()).isZero();
        assertThat(options.host()).isEqualTo("0.0.0.0");
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertThatThrownBy(() -> SandboxMain.Options.parse(List.of("--prot", "1")))
                .hasMessageContaining("unknown argument: --prot");
        assertThatThrownBy(() -> SandboxMain.Options.parse(List.of("--port")))
                .hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> SandboxMain.Options.parse(List.of("--port", "http")))
                .hasMessageContaining("not a number");
        assertThatThrownBy(() -> SandboxMain.Options.parse(List.of("--port", "70000")))
                .hasMessageContaining("out of range");
    }

    @Test
    void printsTheUrlOfEveryProviderAndTheAdminApi() {
        try (SandboxServer server = SandboxServer.start("0.0.0.0", 0)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            SandboxMain.printUrls(server, new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String root = "http://127.0.0.1:" + server.port();

            assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList())
                    .containsExactly(
                            "CDN sandbox listening on " + root,
                            "  fastly      " + root + "/fastly",
                            "  cloudflare  " + root + "/cloudflare",
                            "  cloudfront  " + root + "/cloudfront",
                            "  akamai      " + root + "/akamai",
                            "  admin       "
                                    + root
                                    + "/_sandbox (GET /purges, POST /faults, POST /reset)");
            // bound to every interface, it answers on the loopback address it names
            assertThat(new SandboxHttp(root).get("/_sandbox/purges").statusCode()).isEqualTo(200);
        }
    }
}
