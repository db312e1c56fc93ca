package org.ebpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.ebpf4j.api.Collection;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.Test;

/**
 * {@code SO_ATTACH_BPF} on a UDP socket on 127.0.0.1: the program sees every datagram the socket receives, and its
 * return value decides whether the socket keeps it (non-zero: that many bytes) or drops it (0).
 */
class SocketFilterTest {
    /** Keep the whole packet: the return value is a length, and u32 -1 is longer than any packet. */
    private static final int KEEP = -1;
    private static final int DROP = 0;

    @Test
    void aKeepingFilterSeesEveryDatagramAndTheSocketGetsThem() throws InterruptedException {
        try (Collection loaded = KernelTests.backend().load(countEverything(KEEP));
             LoopbackUdp receiver = new LoopbackUdp();
             LoopbackUdp sender = new LoopbackUdp();
             LinuxLink link = LinuxLinks.socketFilter(loaded.program("prog"), receiver.fd())) {
            for (int i = 0; i < 3; i++) {
                sender.sendTo(receiver, "datagram " + i);
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(Optional.of("datagram " + i), receiver.receive(1000));
            }
            assertEquals(3, BuiltPrograms.count(loaded));
        }
    }

    @Test
    void aDroppingFilterHidesDatagramsUntilItIsDetached() throws InterruptedException {
        try (Collection loaded = KernelTests.backend().load(countEverything(DROP));
             LoopbackUdp receiver = new LoopbackUdp();
             LoopbackUdp sender = new LoopbackUdp()) {
            try (LinuxLink link = LinuxLinks.socketFilter(loaded.program("prog"), receiver.fd())) {
                sender.sendTo(receiver, "dropped 1");
                sender.sendTo(receiver, "dropped 2");
                assertEquals(Optional.empty(), receiver.receive(200));
                assertEquals(2, BuiltPrograms.count(loaded));
            }
            sender.sendTo(receiver, "kept");
            assertEquals(Optional.of("kept"), receiver.receive(1000), "closing the link detaches the filter");
            assertEquals(2, BuiltPrograms.count(loaded));
        }
    }

    @Test
    void theAttachedProgramOutlivesItsOwnFd() throws InterruptedException {
        try (Collection loaded = KernelTests.backend().load(countEverything(DROP));
             LoopbackUdp receiver = new LoopbackUdp();
             LoopbackUdp sender = new LoopbackUdp();
             LinuxLink link = LinuxLinks.socketFilter(loaded.program("prog"), receiver.fd())) {
            loaded.program("prog").close();
            sender.sendTo(receiver, "still dropped");
            assertEquals(Optional.empty(), receiver.receive(200), "the socket holds the program, not our fd");
            assertEquals(1, BuiltPrograms.count(loaded));
        }
    }

    private static CollectionSpec countEverything(int verdict) {
        return BuiltPrograms.counter(ProgramType.SOCKET_FILTER, Optional.empty(), b -> { }, verdict, verdict);
    }
}
