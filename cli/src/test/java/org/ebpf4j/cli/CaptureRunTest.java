package org.ebpf4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Register;
import org.ebpf4j.isa.Size;
import org.ebpf4j.pcap.CapturedPacket;
import org.ebpf4j.pcap.LinkType;
import org.ebpf4j.runtime.backend.JvmBackend;
import org.ebpf4j.spec.AttachTarget;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.Test;

/** The capture runner's edges: faults stop the run naming the packet; other program types are refused. */
class CaptureRunTest {
    private static CollectionSpec collection(ProgramType type, ProgramBuilder code) {
        ProgramSpec program = new ProgramSpec("p", "p", type, Optional.empty(), new AttachTarget.None(), 0, "GPL", 0,
                code.build(), List.of(), List.of(), List.of(), List.of());
        return new CollectionSpec("c", Map.of("p", program), Map.of(), List.of(), Optional.empty(),
                ByteOrder.LITTLE_ENDIAN);
    }

    private static CapturedPacket packet(int number, int length) {
        return new CapturedPacket(number, 24L * number, 0, LinkType.ETHERNET, 0, length, new byte[length]);
    }

    @Test
    void aFaultStopsTheRunNamingThePacket() {
        // Reads 8 bytes at data + 60 without a bounds check: no verifier would accept it, so it runs unverified.
        ProgramBuilder unchecked = new ProgramBuilder().ldx(Size.W, Register.R2, Register.R1, 0)
                .ldx(Size.DW, Register.R0, Register.R2, 60).exit();
        try (Collection loaded = new JvmBackend().load(collection(ProgramType.XDP, unchecked),
                LoadOptions.defaults().unverified())) {
            CaptureRun run = new CaptureRun(e -> Optional.empty());
            CliException e = assertThrows(CliException.class, () -> run.run(loaded.program("p"),
                    List.of(packet(1, 100), packet(2, 64))));
            assertTrue(e.getMessage().startsWith("packet 2 (64 bytes, file offset 48): "), e.getMessage());
        }
    }

    @Test
    void onlyPacketProgramsRunOverACapture() {
        ProgramBuilder zero = new ProgramBuilder().mov64(Register.R0, 0).exit();
        try (Collection loaded = new JvmBackend().load(collection(ProgramType.KPROBE, zero),
                LoadOptions.defaults().unverified())) {
            CliException e = assertThrows(CliException.class, () -> new CaptureRun(x -> Optional.empty())
                    .run(loaded.program("p"), List.of(packet(1, 60))));
            assertEquals("program 'p' is KPROBE; a capture runs through XDP and SOCKET_FILTER programs",
                    e.getMessage());
        }
    }
}
