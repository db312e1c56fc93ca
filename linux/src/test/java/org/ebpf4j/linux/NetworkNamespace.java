package org.ebpf4j.linux;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of the test's own with a veth pair into it: {@link #hostSide} stays in this process's
 * namespace (where programs attach by ifindex) with {@link #HOST_ADDRESS}, {@link #peerSide} lives in the
 * namespace with {@link #PEER_ADDRESS}. Only link-local addresses, so nothing leaves the pair. {@link #close()}
 * deletes the namespace and the host side whatever state they are in.
 */
final class NetworkNamespace implements AutoCloseable {
    static final String HOST_ADDRESS = "169.254.77.1";
    static final String PEER_ADDRESS = "169.254.77.2";
    private static final String PREFIX = "/30";

    final String name;
    final String hostSide;
    final String peerSide;
    /** What exists because of this object, so that closing removes nothing it did not make. */
    private boolean namespaceCreated;
    private boolean pairCreated;

    private NetworkNamespace(String suffix) {
        name = "ebpf4j-test-" + suffix;
        // Interface names have at most 15 characters.
        hostSide = "e4jh" + suffix;
        peerSide = "e4jp" + suffix;
    }

    static NetworkNamespace create() {
        NetworkNamespace ns = new NetworkNamespace(Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24)));
        try {
            ns.ip("netns", "add", ns.name);
            ns.namespaceCreated = true;
            ns.ip("link", "add", ns.hostSide, "type", "veth", "peer", "name", ns.peerSide, "netns", ns.name);
            ns.pairCreated = true;
            ns.ip("addr", "add", HOST_ADDRESS + PREFIX, "dev", ns.hostSide);
            ns.ip("link", "set", ns.hostSide, "up");
            ns.inside("ip", "addr", "add", PEER_ADDRESS + PREFIX, "dev", ns.peerSide);
            ns.inside("ip", "link", "set", ns.peerSide, "up");
            ns.inside("ip", "link", "set", "lo", "up");
            return ns;
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /** Runs {@code command} inside the namespace ({@code ip netns exec}); fails on a non-zero exit. */
    String inside(String... command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(List.of(command));
        return run(all, true);
    }

    /**
     * Sends {@code count} UDP datagrams from the namespace's end to {@code port} of the host's end (python3: there
     * is no netcat or ping on these machines).
     */
    void sendUdpToHost(int port, int count) {
        inside("/usr/bin/python3", "-c", "import socket\n"
                + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                + "for _ in range(" + count + "):\n"
                + "    s.sendto(b'ebpf4j', ('" + HOST_ADDRESS + "', " + port + "))\n");
    }

    /** {@code ip link show} of the host side: what the kernel says is attached to it. */
    String hostLink() {
        return run(List.of("ip", "link", "show", "dev", hostSide), true);
    }

    @Override
    public void close() {
        // Deleting the namespace deletes the peer side and with it the pair; the host side goes explicitly in case
        // the namespace never got the peer.
        if (namespaceCreated) {
            run(List.of("ip", "netns", "del", name), false);
            namespaceCreated = false;
        }
        if (pairCreated) {
            run(List.of("ip", "link", "del", hostSide), false);
            pairCreated = false;
        }
    }

    private void ip(String... arguments) {
        List<String> all = new ArrayList<>(List.of("ip"));
        all.addAll(List.of(arguments));
        run(all, true);
    }

    static boolean ipAvailable() {
        try {
            return new ProcessBuilder("ip", "-V").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String run(List<String> command, boolean check) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 30 s");
            }
            String output = new String(p.getInputStream().readAllBytes());
            if (check && p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                        + output);
            }
            return output;
        } catch (IOException e) {
            if (check) {
                throw new IllegalStateException(String.join(" ", command) + " could not run", e);
            }
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + " interrupted", e);
        }
    }
}
