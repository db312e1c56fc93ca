package org.ebpf4j.runtime.helpers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.memory.Region;
import org.junit.jupiter.api.Test;

/** bpf_trace_printk's formatting, as the kernel's bstr_printf prints each conversion. */
class PrintkFormatTest {
    private final Invocation invocation = new Invocation();

    private String format(String format, long... args) {
        long[] three = new long[3];
        System.arraycopy(args, 0, three, 0, args.length);
        return PrintkFormat.format(format, three, invocation.memory());
    }

    @Test
    void integersAtEachWidth() {
        assertEquals("-1 4294967295 ffffffff", format("%d %u %x", -1, -1, -1));
        assertEquals("-1 18446744073709551615 ffffffffffffffff", format("%lld %llu %llx", -1, -1, -1));
        assertEquals("-1 -1", format("%ld %li", -1, -1));
        assertEquals("4294967296", format("%llu", 1L << 32));
        assertEquals("0 255", format("%d %hhu", 1L << 32, -1));
        assertEquals("FF", format("%X", 255));
    }

    @Test
    void flagsAndWidths() {
        assertEquals("[  42] [42  ] [0042]", format("[%4d] [%-4d] [%04d]", 42, 42, 42));
        assertEquals("[-042]", format("[%04d]", -42));
        assertEquals("100%", format("100%%"));
    }

    @Test
    void stringsCharsAndPointers() {
        long s = invocation.map(Region.of("string", "hello\0".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("<hello> x", format("<%s> %c", s, 'x'));
        assertEquals("<>", format("<%s>", 0xdeadL << 32), "an unreadable string prints empty, as in the kernel");
        assertEquals("0000000900000010", format("%p", 0x9_0000_0010L));
        assertEquals("0000000900000010", format("%px", 0x9_0000_0010L));
    }

    @Test
    void formatsTheKernelRefusesAreBad() {
        assertThrows(PrintkFormat.BadFormat.class, () -> format("%d %d %d %d", 1, 2, 3));
        assertThrows(PrintkFormat.BadFormat.class, () -> format("%q", 1));
        assertThrows(PrintkFormat.BadFormat.class, () -> format("50%"));
    }
}
