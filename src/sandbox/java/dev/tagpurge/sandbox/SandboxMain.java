package dev.tagpurge.sandbox;

import java.io.PrintStream;
import java.util.List;

/**
 * Runs the CDN sandbox as its own process, the entry point of {@code target/tagpurge-sandbox.jar}:
 * {@code java -jar tagpurge-sandbox.jar [--port 8081] [--host 127.0.0.1]}. It binds the loopback
 * address unless {@code --host} says otherwise (a container needs {@code 0.0.0.0}), prints the base
 * URL of each provider's emulator and of the admin API, and runs until the process is stopped.
 */
public final class SandboxMain {

    /** The port used when {@code --port} is not given. */
    public static final int DEFAULT_PORT = 8081;

    /** The line printed once the server listens, followed by its root URL. */
    public static final String READY = "CDN sandbox listening on ";

    private static final String USAGE =
            "usage: java -jar tagpurge-sandbox.jar [--port N] [--host ADDRESS]\n"
                    + "  --port N        port to listen on (default "
                    + DEFAULT_PORT
                    + ", 0 picks a free one)\n"
                    + "  --host ADDRESS  address to bind (default "
                    + SandboxServer.LOOPBACK
                    + "; 0.0.0.0 in a container)";

    private SandboxMain() {}

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(USAGE);
            return;
        }
        SandboxServer server = SandboxServer.start(options.host(), options.port());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "sandbox-shutdown"));
        printUrls(server, System.out);
    }

    static void printUrls(SandboxServer server, PrintStream out) {
        out.println(READY + server.baseUrl());
        out.println("  fastly      " + server.fastlyUrl());
        out.println("  cloudflare  " + server.cloudflareUrl());
        out.println("  cloudfront  " + server.cloudfrontUrl());
        out.println("  akamai      " + server.akamaiUrl());
        out.println(
                "  admin       "
                        + server.baseUrl()
                        + CdnSandbox.ADMIN_PATH
                        + " (GET /purges, POST /faults, POST /reset)");
        out.flush();
    }

    /**
     * The command line.
     *
     * @param host the address to bind
     * @param port the port (0: a free one)
     * @param help whether only the usage was asked for
     */
    record Options(String host, int port, boolean help) {

        static Options parse(List<String> args) {
            String host = SandboxServer.LOOPBACK;
            int port = DEFAULT_PORT;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--help", "-h" -> {
                        return new Options(host, port, true);
                    }
                    case "--port" -> port = port(value(args, ++i, arg));
                    case "--host" -> host = value(args, ++i, arg);
                    default -> throw new IllegalArgumentException("unknown argument: " + arg);
                }
            }
            return new Options(host, port, false);
        }

        private static String value(List<String> args, int index, String option) {
            if (index >= args.size() || args.get(index).isBlank()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args.get(index);
        }

        private static int port(String text) {
            try {
                int port = Integer.parseInt(text);
                if (port < 0 || port > 65535) {
                    throw new IllegalArgumentException("--port out of range: " + text);
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--port is not a number: " + text);
            }
        }
    }
}
