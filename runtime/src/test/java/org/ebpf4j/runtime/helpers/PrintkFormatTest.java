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
        assertEquals("0 4294967295", format("%d %u", 1L << 32, -1));
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
        // Each of these is -EINVAL from Linux 6.18's bpf_trace_printk (HelperDifferentialTest, printk_rules).
        for (String bad : new String[] {"%d %d %d %d", "%q", "50%", "%hd", "%hhu", "%zu", "%5.2d", "%#x", "%sx",
                "a\u0001%d", "%pZ", "%pI5"}) {
            var e = assertThrows(PrintkFormat.BadFormat.class, () -> format(bad, 1, 2, 3), bad);
            assertEquals(org.ebpf4j.spec.Errno.EINVAL, e.errno(), bad);
        }
        assertEquals("\u00e91", format("\u00e9%d", 1), "Latin-1 letters are printable to the kernel's ctype");
    }

    @Test
    void signsSpacesAndPadding() {
        assertEquals("[+7   ] [ 0007] [    c]", format("[%-+5d] [% 05d] [%05c]", 7, 7, 'c'));
        assertEquals("[+9] [9]", format("[%+d] [%+u]", 9, 9), "+ only signs signed conversions");
        assertEquals("[ab   ] [   ab]", format("[%-5s] [%5s]", string("ab"), string("ab")));
    }

    @Test
    void addressesAreReadFromMemory() {
        long ip4 = invocation.map(Region.of("ip4", new byte[] {10, 0, 0, (byte) 200}));
        long ip6 = invocation.map(Region.of("ip6", new byte[] {(byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 1}));
        assertEquals("10.0.0.200 010.000.000.200", format("%pI4 %pi4", ip4, ip4));
        assertEquals("fe80:0000:0000:0000:0000:0000:0000:0001 fe800000000000000000000000000001",
                format("%pI6 %pi6", ip6, ip6));
        assertEquals("0.0.0.0", format("%pI4", 0x77L << 32), "an unreadable address prints as zeros");
        assertEquals("0x1234 0x1234", format("%ps %pB", 0x1234, 0x1234), "no symbol covers the address");
    }

    @Test
    void argumentsShareA512ByteBuffer() {
        // Each string takes its length and a NUL; the third is cut to what is left, the fourth has no room.
        long big = string("x".repeat(300));
        long[] four = {big, big, big, big};
        String twice = PrintkFormat.format("%s%s", four, invocation.memory());
        assertEquals(300 + 210, twice.length(), "301 bytes, then the 211 left: 210 and a NUL");
        var e = assertThrows(PrintkFormat.BadFormat.class,
                () -> PrintkFormat.format("%s%s%s", four, invocation.memory()));
        assertEquals(org.ebpf4j.spec.Errno.ENOSPC, e.errno());
    }

    private long string(String s) {
        return invocation.map(Region.of("string", (s + "\0").getBytes(StandardCharsets.ISO_8859_1)));
    }
}
