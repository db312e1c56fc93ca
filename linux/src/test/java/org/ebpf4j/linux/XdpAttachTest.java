package org.ebpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Optional;
import org.ebpf4j.api.Collection;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * XDP through {@code BPF_LINK_CREATE} on the host side of a veth pair into a namespace of the test's own: real
 * UDP datagrams sent from the namespace reach the program, and stop reaching it when the link is closed.
 */
class XdpAttachTest {
    private static final int XDP_DROP = 1;
    private static final int XDP_PASS = 2;
    /** The UDP port the programs count; nothing else on the pair uses it. */
    private static final int PORT = 40_077;

    private NetworkNamespace namespace;

    @BeforeEach
    void createNamespace() {
        KernelTests.backend();
        assumeTrue(NetworkNamespace.ipAvailable(), "iproute2's ip is not installed");
        namespace = NetworkNamespace.create();
    }

    @AfterEach
    void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void realPacketsAreCountedUntilTheLinkCloses() throws InterruptedException {
        try (Collection loaded = KernelTests.backend().load(udpCounter(XDP_PASS))) {
            int ifindex = LinuxLinks.ifindex(namespace.hostSide);
            try (LinuxLink link = LinuxLinks.xdp(loaded.program("prog"), ifindex, 0)) {
                namespace.sendUdpToHost(PORT, 5);
                awaitCount(loaded, 5);
            }
            namespace.sendUdpToHost(PORT, 3);
            Thread.sleep(500);
            assertEquals(5, BuiltPrograms.count(loaded), "a closed link counts no more packets");
        }
    }

    @Test
    void xdpDropStopsPacketsBeforeTheSocketAndClosingLetsThemThrough() throws Exception {
        try (Collection loaded = KernelTests.backend().load(udpCounter(XDP_DROP));
             DatagramSocket socket = new DatagramSocket(
                     new InetSocketAddress(InetAddress.getByName(NetworkNamespace.HOST_ADDRESS), PORT))) {
            socket.setSoTimeout(500);
            try (LinuxLink link = LinuxLinks.xdp(loaded.program("prog"),
                    LinuxLinks.ifindex(namespace.hostSide), 0)) {
                namespace.sendUdpToHost(PORT, 3);
                awaitCount(loaded, 3);
                assertThrows(SocketTimeoutException.class, () -> receive(socket), "XDP_DROP: nothing arrives");
            }
            namespace.sendUdpToHost(PORT, 1);
            assertEquals("ebpf4j", receive(socket), "detached: the datagram reaches the socket");
            assertEquals(3, BuiltPrograms.count(loaded));
        }
    }

    @Test
    void flagsChooseTheModeAndIpSeesTheProgramGoOnClose() {
        try (Collection loaded = KernelTests.backend().load(udpCounter(XDP_PASS))) {
            try (LinuxLink link = LinuxLinks.xdp(loaded.program("prog"), LinuxLinks.ifindex(namespace.hostSide),
                    LinuxLinks.XDP_FLAGS_SKB_MODE)) {
                assertTrue(namespace.hostLink().contains("xdpgeneric"), namespace.hostLink());
            }
            assertFalse(namespace.hostLink().contains("xdp"), namespace.hostLink());
        }
    }

    @Test
    void anUnknownInterfaceIsNamedInTheError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinuxLinks.ifindex("e4j-missing0"));
        assertEquals("no network interface 'e4j-missing0': ENODEV (19)", e.getMessage());
    }

    static String receive(DatagramSocket socket) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[64], 64);
        socket.receive(p);
        return new String(p.getData(), 0, p.getLength());
    }

    /**
     * Counts IPv4 UDP datagrams to {@link #PORT} (options-free IP header, as Linux sends them) and returns
     * {@code action} for them; everything else (ARP above all) passes.
     */
    private static CollectionSpec udpCounter(int action) {
        return BuiltPrograms.counter(ProgramType.XDP, Optional.of(AttachType.XDP), 
                UdpToPort.filter(PORT, UdpToPort.XDP_DATA, UdpToPort.XDP_DATA_END),
                action, XDP_PASS);
    }

    static void awaitCount(Collection loaded, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (BuiltPrograms.count(loaded) < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, BuiltPrograms.count(loaded));
    }
}
