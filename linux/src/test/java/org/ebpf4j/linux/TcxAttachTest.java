package org.ebpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

/** tcx (Linux 6.6) on the host side of a test veth pair: ingress verdicts and egress counts of real datagrams. */
class TcxAttachTest {
    /** {@code TCX_PASS} and {@code TCX_DROP} ({@code enum tcx_action_base}). */
    private static final int TCX_PASS = 0;
    private static final int TCX_DROP = 2;
    private static final int PORT = 40_078;

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
    void anIngressProgramDropsDatagramsUntilTheLinkCloses() throws Exception {
        try (Collection loaded = KernelTests.backend().load(udpCounter(AttachType.TCX_INGRESS, TCX_DROP));
             DatagramSocket socket = new DatagramSocket(
                     new InetSocketAddress(InetAddress.getByName(NetworkNamespace.HOST_ADDRESS), PORT))) {
            socket.setSoTimeout(500);
            try (LinuxLink link = LinuxLinks.tcx(loaded.program("prog"), LinuxLinks.ifindex(namespace.hostSide),
                    LinuxLinks.TcxDirection.INGRESS)) {
                namespace.sendUdpToHost(PORT, 2);
                XdpAttachTest.awaitCount(loaded, 2);
                assertThrows(SocketTimeoutException.class, () -> XdpAttachTest.receive(socket));
            }
            namespace.sendUdpToHost(PORT, 1);
            assertEquals("ebpf4j", XdpAttachTest.receive(socket));
            assertEquals(2, BuiltPrograms.count(loaded));
        }
    }

    @Test
    void anEgressProgramSeesWhatThisProcessSends() throws Exception {
        try (Collection loaded = KernelTests.backend().load(udpCounter(AttachType.TCX_EGRESS, TCX_PASS));
             DatagramSocket socket = new DatagramSocket()) {
            try (LinuxLink link = LinuxLinks.tcx(loaded.program("prog"), LinuxLinks.ifindex(namespace.hostSide),
                    LinuxLinks.TcxDirection.EGRESS)) {
                for (int i = 0; i < 4; i++) {
                    socket.send(new DatagramPacket(new byte[8], 8,
                            InetAddress.getByName(NetworkNamespace.PEER_ADDRESS), PORT));
                }
                XdpAttachTest.awaitCount(loaded, 4);
            }
        }
    }

    private static CollectionSpec udpCounter(AttachType hook, int verdict) {
        return BuiltPrograms.counter(ProgramType.SCHED_CLS, Optional.of(hook),
                UdpToPort.filter(PORT, UdpToPort.SKB_DATA, UdpToPort.SKB_DATA_END), verdict, TCX_PASS);
    }
}
