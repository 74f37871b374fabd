package io.github.pixmapcache.server.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on a free loopback port, for one test: throw-away (no RDB, no AOF),
 * its files in its own temporary folder, stopped by its own process id (SIGKILL, SIGSTOP, SIGCONT
 * are sent to that pid and nothing else). A {@link Launch#tls TLS} one listens on its TLS port only.
 */
public final class RedisProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    /**
     * How to start and talk to a redis-server.
     *
     * @param serverArgs more {@code redis-server} arguments (TLS files, ACL users, cluster mode)
     * @param cliArgs    the {@code redis-cli} arguments it needs (TLS, an admin password)
     * @param tls        whether its one port is a TLS port ({@code --port 0 --tls-port N})
     */
    public record Launch(List<String> serverArgs, List<String> cliArgs, boolean tls) {
        static final Launch PLAIN = new Launch(List.of(), List.of(), false);

        Launch clusterNode() {
            List<String> args = new ArrayList<>(serverArgs);
            args.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "3000"));
            if (tls) {
                args.addAll(List.of("--tls-cluster", "yes"));
            }
            return new Launch(args, cliArgs, tls);
        }
    }

    private final int port;
    private final Path dir;
    private final Launch launch;
    private final Process process;

    private RedisProcess(int port, Path dir, Launch launch, Process process) {
        this.port = port;
        this.dir = dir;
        this.launch = launch;
        this.process = process;
    }

    /** A standalone Redis on a free port. */
    public static RedisProcess start() throws IOException {
        return start(Launch.PLAIN);
    }

    /** A standalone Redis on a free port, started and reached as {@code launch} says. */
    public static RedisProcess start(Launch launch) throws IOException {
        return startOnFreePort(launch, false);
    }

    /** A cluster-enabled node (its bus port, port + 10000, free too), not yet part of a cluster. */
    public static RedisProcess startClusterNode() throws IOException {
        return startClusterNode(Launch.PLAIN);
    }

    /** A cluster-enabled node started as {@code launch} says (with TLS on the cluster bus too), not yet part of a cluster. */
    public static RedisProcess startClusterNode(Launch launch) throws IOException {
        return startOnFreePort(launch.clusterNode(), true);
    }

    private static RedisProcess startOnFreePort(Launch launch, boolean needsBusPort) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            int port = freePort(needsBusPort);
            try {
                return startOn(port, Files.createTempDirectory("redis-" + port + "-"), launch);
            } catch (IOException e) {
                last = e; // the port was taken between the probe and the bind: try another
            }
        }
        throw last;
    }

    private static RedisProcess startOn(int port, Path dir, Launch launch) throws IOException {
        List<String> command = new ArrayList<>(List.of("redis-server"));
        command.addAll(launch.tls() ? List.of("--port", "0", "--tls-port", Integer.toString(port))
                : List.of("--port", Integer.toString(port)));
        command.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--daemonize", "no", "--protected-mode", "no"));
        command.addAll(launch.serverArgs());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        RedisProcess redis = new RedisProcess(port, dir, launch, process);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server on port " + port + " exited with " + process.exitValue()
                        + ": " + Files.readString(dir.resolve("redis.log")));
            }
            if (launch.tls() ? redis.log().contains("Ready to accept connections") : redis.answersPing()) {
                return redis;
            }
            sleep(Duration.ofMillis(20));
        }
        redis.close();
        throw new IOException("redis-server on port " + port + " did not answer PING within " + START_TIMEOUT);
    }

    /** What the redis-server has written to its log so far. */
    public String log() throws IOException {
        return Files.readString(dir.resolve("redis.log"));
    }

    /** A new, empty redis-server on the same port, after this one was killed. */
    public RedisProcess restartEmpty() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("redis-server pid " + pid() + " on port " + port + " still runs");
        }
        return startOn(port, Files.createTempDirectory("redis-" + port + "-"), launch);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** {@code redis://127.0.0.1:PORT}, or {@code rediss://} for a TLS one. */
    public URI uri() {
        return URI.create((launch.tls() ? "rediss" : "redis") + "://127.0.0.1:" + port);
    }

    /** The {@code redis-cli} arguments this one needs (TLS, admin password). */
    public List<String> cliArgs() {
        return launch.cliArgs();
    }

    public String hostAndPort() {
        return "127.0.0.1:" + port;
    }

    /** SIGKILL: the process dies at once, connections reset. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("redis-server pid " + pid() + " survived SIGKILL");
        }
    }

    /** SIGSTOP: the process hangs; connections stay open and nothing answers. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + pid() + " exited with " + kill.exitValue());
        }
    }

    /** Runs {@code redis-cli -p PORT args...} and returns its output. */
    public String cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(launch.cliArgs());
        command.addAll(List.of(args));
        return run(command);
    }

    public static String run(List<String> command) throws IOException, InterruptedException {
        Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!cli.waitFor(30, TimeUnit.SECONDS) || cli.exitValue() != 0) {
            throw new IOException(command + " failed: " + output);
        }
        return output.strip();
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort(boolean needsBusPort) throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (!needsBusPort) {
                    return port;
                }
                if (port + 10_000 <= 65_535 && isFree(port + 10_000)) {
                    return port;
                }
            }
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** SIGCONT (in case the test left it stopped), then SIGKILL; removes its folder. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                resume();
                kill();
            } catch (IOException | InterruptedException e) {
                process.destroyForcibly();
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is not worth failing a test for
        }
    }
}
