package dev.tagpurge.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A real Redis Cluster for tests: three masters with one replica each, six {@code redis-server}
 * processes on free ports of 127.0.0.1 with {@code cluster-enabled yes}, persistence off, joined by
 * {@code redis-cli --cluster create … --cluster-replicas 1}. Each node's log and {@code nodes.conf}
 * are in {@code target/redis-cluster-<port>/} (the cluster bus on another free port) and its PID
 * file is {@code target/redis-<port>.pid} while it runs. A small {@code cluster-node-timeout} makes
 * a replica take over within seconds of its master going silent.
 */
public final class LocalRedisCluster implements AutoCloseable {

    /** Masters; each gets one replica. */
    public static final int MASTERS = 3;

    private static final int SLOTS = 16384;
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    /** One {@code redis-server} of the cluster. */
    public record Node(int port, Process process, Path logFile, Path pidFile) {

        /** The process id, for signals ({@link ProcessSignals}). */
        public long pid() {
            return process.pid();
        }

        /** {@code 127.0.0.1:<port>}, as CLUSTER NODES names it. */
        public String address() {
            return "127.0.0.1:" + port;
        }
    }

    /**
     * One line of CLUSTER NODES as a node saw it.
     *
     * @param port the node's port
     * @param master whether it serves slots now
     * @param failed whether it is flagged {@code fail} (or {@code fail?})
     */
    public record Role(int port, boolean master, boolean failed) {}

    private final List<Node> nodes;
    private final Duration nodeTimeout;
    private final Set<Integer> frozen = ConcurrentHashMap.newKeySet();

    private LocalRedisCluster(List<Node> nodes, Duration nodeTimeout) {
        this.nodes = nodes;
        this.nodeTimeout = nodeTimeout;
    }

    /**
     * Starts six nodes, joins them into a cluster and waits until every node reports {@code
     * cluster_state:ok} and every replica is in sync with its master.
     *
     * @param nodeTimeout {@code cluster-node-timeout}: how long a master may be silent before its
     *     replica is promoted
     * @throws IllegalStateException if {@code redis-server} or {@code redis-cli} is missing, or the
     *     cluster does not form
     */
    public static LocalRedisCluster start(Duration nodeTimeout) {
        Path server = requireOnPath("redis-server");
        requireOnPath("redis-cli");
        List<Node> nodes = new ArrayList<>();
        LocalRedisCluster cluster = new LocalRedisCluster(nodes, nodeTimeout);
        try {
            for (int i = 0; i < MASTERS * 2; i++) {
                nodes.add(startNode(server, FreePort.pick(), nodeTimeout));
            }
            for (Node node : nodes) {
                cluster.awaitAnswer(node);
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            nodes.forEach(n -> create.add(n.address()));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            cli(nodes.getFirst().port(), create);
            cluster.awaitHealthy(STARTUP_TIMEOUT);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The six nodes, in the order they were started. */
    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /**
     * {@code redis://127.0.0.1:<port>} of every node, comma-separated, as {@code
     * quarkus.redis.hosts} takes them with {@code client-type=cluster}.
     */
    public String hosts() {
        return nodes.stream().map(n -> "redis://" + n.address()).collect(Collectors.joining(","));
    }

    public Duration nodeTimeout() {
        return nodeTimeout;
    }

    /** The node that serves {@code key}'s slot now, as a live node sees the cluster. */
    public Node masterOf(String key) {
        return node(slotOwners()[slot(key)]);
    }

    /** The port of the master serving each of {@code keys} now (one CLUSTER NODES for all). */
    public Map<String, Integer> masterPorts(Collection<String> keys) {
        int[] owners = slotOwners();
        Map<String, Integer> ports = new LinkedHashMap<>();
        keys.forEach(k -> ports.put(k, owners[slot(k)]));
        return ports;
    }

    /**
     * The hash slot of {@code key}: CRC16 (XMODEM) of the key, or of its hash tag (the part between
     * the first {@code {} and the next {@code }}, if not empty), modulo 16384.
     */
    public static int slot(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int from = 0;
        int to = bytes.length;
        int open = indexOf(bytes, (byte) '{', 0);
        if (open >= 0) {
            int close = indexOf(bytes, (byte) '}', open + 1);
            if (close > open + 1) {
                from = open + 1;
                to = close;
            }
        }
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= (bytes[i] & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return (crc & 0xffff) % SLOTS;
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** Port of the master serving each slot, as the first live node sees it; 0 if none. */
    private int[] slotOwners() {
        int[] owners = new int[SLOTS];
        for (String line : cli(anyLiveNode().port(), List.of("CLUSTER", "NODES")).split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                if (f[i].startsWith("[")) {
                    continue; // a slot being migrated
                }
                String[] range = f[i].split("-");
                int first = Integer.parseInt(range[0]);
                int last = range.length > 1 ? Integer.parseInt(range[1]) : first;
                for (int slot = first; slot <= last; slot++) {
                    owners[slot] = portOf(f[1]);
                }
            }
        }
        return owners;
    }

    /** Every node's role as {@code asked} sees it (CLUSTER NODES). */
    public List<Role> roles(Node asked) {
        List<Role> roles = new ArrayList<>();
        for (String line : cli(asked.port(), List.of("CLUSTER", "NODES")).split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length >= 8) {
                roles.add(new Role(portOf(f[1]), f[2].contains("master"), f[2].contains("fail")));
            }
        }
        return roles;
    }

    /**
     * Waits until every live node sees {@code former} failed or demoted (its replica promoted in
     * its place) and reports {@code cluster_state:ok} again.
     */
    public void awaitFailover(Node former, Duration timeout) {
        await("a replica of 127.0.0.1:" + former.port() + " promoted")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () ->
                                liveNodes().stream()
                                        .filter(n -> n.port() != former.port())
                                        .allMatch(n -> seesReplaced(n, former)));
    }

    private boolean seesReplaced(Node asked, Node former) {
        return clusterInfo(asked).contains("cluster_state:ok")
                && roles(asked).stream()
                        .anyMatch(r -> r.port() == former.port() && (r.failed() || !r.master()));
    }

    /**
     * Waits until every node answers, reports {@code cluster_state:ok}, knows all six nodes, and
     * every replica's link to its master is up.
     */
    public void awaitHealthy(Duration timeout) {
        try {
            await("redis cluster healthy")
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(200))
                    .until(this::healthy);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(
                    "redis cluster did not become healthy\n"
                            + LogTail.of(nodes.getFirst().logFile(), 30),
                    e);
        }
    }

    /**
     * Freezes {@code node} ({@code kill -STOP}): its sockets stay open, it answers nothing, like a
     * hung master; after {@link #nodeTimeout()} the others mark it failed and promote its replica.
     */
    public void freeze(Node node) {
        frozen.add(node.port());
        ProcessSignals.freeze(node.pid());
    }

    /** Thaws a frozen node ({@code kill -CONT}); a former master rejoins as a replica. */
    public void resume(Node node) {
        ProcessSignals.resume(node.pid());
        frozen.remove(node.port());
    }

    /** Stops every node (SIGTERM, then SIGKILL after 10 s); a frozen node is thawed first. */
    @Override
    public void close() {
        for (Node node : nodes) {
            if (frozen.remove(node.port()) && node.process().isAlive()) {
                // a SIGSTOPped server would only take the SIGTERM once thawed
                ProcessSignals.resume(node.pid());
            }
            ChildProcess.stop(node.process(), 10);
            ChildProcess.delete(node.pidFile());
        }
    }

    private boolean healthy() {
        int replicas = 0;
        for (Node node : nodes) {
            if (!clusterInfo(node).contains("cluster_state:ok")) {
                return false;
            }
            List<Role> roles = roles(node);
            if (roles.size() != nodes.size() || roles.stream().anyMatch(Role::failed)) {
                return false;
            }
            String replication = cli(node.port(), List.of("INFO", "replication"));
            if (replication.contains("role:slave")) {
                if (!replication.contains("master_link_status:up")) {
                    return false;
                }
                replicas++;
            }
        }
        return replicas == MASTERS;
    }

    private static String clusterInfo(Node node) {
        return cli(node.port(), List.of("CLUSTER", "INFO"));
    }

    private Node anyLiveNode() {
        return liveNodes().stream()
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no node of the cluster answers"));
    }

    private List<Node> liveNodes() {
        return nodes.stream()
                .filter(n -> n.process().isAlive() && !frozen.contains(n.port()))
                .toList();
    }

    private Node node(int port) {
        return nodes.stream()
                .filter(n -> n.port() == port)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no node on port " + port));
    }

    /** {@code 127.0.0.1:7000@17000} → 7000. */
    private static int portOf(String address) {
        String hostPort = address.split("@")[0];
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private void awaitAnswer(Node node) {
        try {
            await("redis-server on port " + node.port() + " answers")
                    .atMost(STARTUP_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50))
                    .failFast("redis-server exited", () -> !node.process().isAlive())
                    .ignoreExceptions()
                    .until(() -> cli(node.port(), List.of("PING")).strip().equals("PONG"));
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new IllegalStateException(
                    "redis-server did not start on 127.0.0.1:"
                            + node.port()
                            + "\n"
                            + LogTail.of(node.logFile(), 30),
                    e);
        }
    }

    private static Node startNode(Path executable, int port, Duration nodeTimeout) {
        FreePort.requireFree(port);
        int busPort = FreePort.pick();
        Path build = ChildProcess.buildDirectory();
        Path dir = ChildProcess.freshDirectory(build.resolve("redis-cluster-" + port));
        Path log = dir.resolve("redis.log");
        Path pidFile = build.resolve("redis-" + port + ".pid");
        List<String> command =
                List.of(
                        executable.toString(),
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--cluster-enabled",
                        "yes",
                        // the bus port is set, not port + 10000: a free port may be above 55535
                        "--cluster-port",
                        Integer.toString(busPort),
                        "--cluster-config-file",
                        dir.resolve("nodes.conf").toString(),
                        "--cluster-node-timeout",
                        Long.toString(nodeTimeout.toMillis()),
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--daemonize",
                        "no",
                        "--pidfile",
                        pidFile.toString(),
                        "--dir",
                        dir.toString(),
                        "--logfile",
                        "");
        try {
            Process process =
                    new ProcessBuilder(command)
                            .directory(dir.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            return new Node(port, process, log, pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + executable, e);
        }
    }

    /**
     * Runs {@code redis-cli -h 127.0.0.1 -p port args…} (5 s at most) and returns its output.
     *
     * @throws IllegalStateException if it fails or hangs (a frozen node)
     */
    private static String cli(int port, List<String> args) {
        List<String> command = new ArrayList<>();
        command.addAll(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(args);
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!cli.waitFor(args.contains("create") ? 30 : 5, TimeUnit.SECONDS)) {
                cli.destroyForcibly();
                throw new IllegalStateException("no answer from " + String.join(" ", command));
            }
            String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (cli.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run redis-cli", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path requireOnPath(String name) {
        Optional<Path> found = LocalRedisServer.findOnPath(name);
        return found.orElseThrow(
                () ->
                        new IllegalStateException(
                                name
                                        + " is not on PATH: install redis-server and redis-tools (apt-get install -y redis-server redis-tools) to run these tests"));
    }
}
