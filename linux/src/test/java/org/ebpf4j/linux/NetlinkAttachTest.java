package org.ebpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Optional;
import org.ebpf4j.api.Collection;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The attachments that predate {@code bpf_link}, through rtnetlink, on the host side of a test veth pair: XDP by
 * {@code IFLA_XDP} (what {@code ip link} shows as {@code xdpgeneric}) and tc bpf filters on the clsact qdisc (what
 * {@code tc filter show} lists). Real datagrams from the namespace are counted and dropped, and no longer once the
 * link is closed.
 */
class NetlinkAttachTest {
    private static final int XDP_DROP = 1;
    private static final int XDP_PASS = 2;
    private static final int TC_ACT_OK = 0;
    private static final int TC_ACT_SHOT = 2;
    private static final int PORT = 40_079;

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
    void xdpThroughNetlinkDropsUntilClosed() throws Exception {
        CollectionSpec spec = BuiltPrograms.counter(ProgramType.XDP, Optional.of(AttachType.XDP),
                UdpToPort.filter(PORT, UdpToPort.XDP_DATA, UdpToPort.XDP_DATA_END), XDP_DROP, XDP_PASS);
        try (Collection loaded = KernelTests.backend().load(spec);
             DatagramSocket socket = hostSocket()) {
            try (LinuxLink link = LinuxLinks.xdpNetlink(loaded.program("prog"),
                    LinuxLinks.ifindex(namespace.hostSide), LinuxLinks.XDP_FLAGS_SKB_MODE)) {
                assertTrue(namespace.hostLink().contains("xdpgeneric"), namespace.hostLink());
                namespace.sendUdpToHost(PORT, 3);
                XdpAttachTest.awaitCount(loaded, 3);
                assertThrows(SocketTimeoutException.class, () -> XdpAttachTest.receive(socket));
                assertThrows(UnsupportedOperationException.class, () -> link.pin(java.nio.file.Path.of("/x")));
            }
            assertFalse(namespace.hostLink().contains("xdp"), namespace.hostLink());
            namespace.sendUdpToHost(PORT, 1);
            assertEquals("ebpf4j", XdpAttachTest.receive(socket));
            assertEquals(3, BuiltPrograms.count(loaded));
        }
    }

    @Test
    void aSecondXdpProgramIsRefusedWithTheKernelsReason() {
        CollectionSpec spec = BuiltPrograms.counter(ProgramType.XDP, Optional.of(AttachType.XDP), b -> { },
                XDP_PASS, XDP_PASS);
        try (Collection first = KernelTests.backend().load(spec); Collection second = KernelTests.backend().load(spec);
             LinuxLink link = LinuxLinks.xdpNetlink(first.program("prog"), LinuxLinks.ifindex(namespace.hostSide),
                     LinuxLinks.XDP_FLAGS_SKB_MODE)) {
            // XDP_FLAGS_UPDATE_IF_NOEXIST: refuse to replace what is attached.
            LinuxAttachException e = assertThrows(LinuxAttachException.class, () -> LinuxLinks.xdpNetlink(
                    second.program("prog"), LinuxLinks.ifindex(namespace.hostSide),
                    LinuxLinks.XDP_FLAGS_SKB_MODE | 1));
            assertEquals(16, e.errnoValue(), e.getMessage()); // EBUSY
            assertTrue(e.getMessage().startsWith("RTM_SETLINK IFLA_XDP of program 'prog' (XDP) on ifindex "),
                    e.getMessage());
        }
    }

    /**
     * {@code xdp()} falls back to netlink where the kernel has no XDP links (EINVAL); a request both refuse (an
     * unknown flag) reports the link's errno with netlink's refusal attached.
     */
    @Test
    void whenBothWaysRefuseTheLinksErrorCarriesNetlinks() {
        CollectionSpec spec = BuiltPrograms.counter(ProgramType.XDP, Optional.of(AttachType.XDP), b -> { },
                XDP_PASS, XDP_PASS);
        try (Collection loaded = KernelTests.backend().load(spec)) {
            LinuxBpfException e = assertThrows(LinuxBpfException.class, () -> LinuxLinks.xdp(loaded.program("prog"),
                    LinuxLinks.ifindex(namespace.hostSide), 1 << 12));
            assertEquals(BpfCommand.LINK_CREATE, e.command());
            assertEquals(22, e.errnoValue());
            assertEquals(1, e.getSuppressed().length, e.toString());
            assertTrue(e.getSuppressed()[0] instanceof LinuxAttachException a && a.errnoValue() == 22,
                    e.getSuppressed()[0].toString());
        }
    }

    @Test
    void aTcFilterOnClsactDropsUntilClosed() throws Exception {
        CollectionSpec spec = BuiltPrograms.counter(ProgramType.SCHED_CLS, Optional.empty(),
                UdpToPort.filter(PORT, UdpToPort.SKB_DATA, UdpToPort.SKB_DATA_END), TC_ACT_SHOT, TC_ACT_OK);
        try (Collection loaded = KernelTests.backend().load(spec);
             DatagramSocket socket = hostSocket()) {
            try (LinuxLink link = LinuxLinks.tc(loaded.program("prog"), LinuxLinks.ifindex(namespace.hostSide),
                    LinuxLinks.TcxDirection.INGRESS, 1)) {
                String filters = tcFilters("ingress");
                assertTrue(filters.contains("bpf") && filters.contains("prog") && filters.contains("direct-action"),
                        filters);
                namespace.sendUdpToHost(PORT, 2);
                XdpAttachTest.awaitCount(loaded, 2);
                assertThrows(SocketTimeoutException.class, () -> XdpAttachTest.receive(socket));
            }
            assertFalse(tcFilters("ingress").contains("bpf"), tcFilters("ingress"));
            namespace.sendUdpToHost(PORT, 1);
            assertEquals("ebpf4j", XdpAttachTest.receive(socket));
            assertEquals(2, BuiltPrograms.count(loaded));
        }
    }

    private static DatagramSocket hostSocket() throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(
                InetAddress.getByName(NetworkNamespace.HOST_ADDRESS), PORT));
        socket.setSoTimeout(500);
        return socket;
    }

    private String tcFilters(String direction) {
        try {
            Process p = new ProcessBuilder(List.of("tc", "filter", "show", "dev", namespace.hostSide, direction))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        } catch (IOException e) {
            return org.junit.jupiter.api.Assumptions.abort("tc is not installed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
