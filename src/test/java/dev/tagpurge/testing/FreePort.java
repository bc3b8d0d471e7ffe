package dev.tagpurge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Picks a loopback TCP port nobody listens on right now, for servers the tests start. */
public final class FreePort {

    private FreePort() {}

    /**
     * A port that was free a moment ago. Another process could take it before our server binds; the
     * servers then fail to start with a clear log, which is rare enough for tests.
     */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }

    /**
     * Fails early, before any files are touched, when something already listens on {@code port}.
     */
    static void requireFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new IllegalStateException("port 127.0.0.1:" + port + " is already in use", e);
        }
    }
}
