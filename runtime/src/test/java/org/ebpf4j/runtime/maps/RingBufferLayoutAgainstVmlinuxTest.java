package org.ebpf4j.runtime.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfKind;
import org.junit.jupiter.api.Test;

/** The page offset ring buffer headers store counts from the kernel's {@code struct bpf_ringbuf}, as vmlinux has it. */
class RingBufferLayoutAgainstVmlinuxTest {
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    @Test
    void theDataStartsWhereTheKernelsStructPutsIt() throws IOException {
        assumeTrue(Files.isReadable(VMLINUX), VMLINUX + " is absent or unreadable");
        Btf btf = Btf.parse(Files.readAllBytes(VMLINUX));
        int ringbuf = btf.typeId("bpf_ringbuf", BtfKind.STRUCT).orElseThrow();
        long data = btf.member(ringbuf, "data").orElseThrow().bitOffset() / 8;
        assertEquals((long) RingBufferMap.DATA_PAGE_OFFSET * RingBufferMap.PAGE_SIZE, data);
        assertEquals(RingBufferMap.PAGE_SIZE * 8L, btf.member(ringbuf, "consumer_pos").orElseThrow().bitOffset(),
                "the consumer page follows the bookkeeping page");
    }
}
