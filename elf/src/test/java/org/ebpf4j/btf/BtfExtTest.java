package org.ebpf4j.btf;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code .BTF.ext} of the fixtures against {@code llvm-objdump-19 -S} of the same objects (functions and source
 * lines) and against what {@code src/core.c} asks for (CO-RE relocations).
 */
class BtfExtTest {
    private static final Pattern SECTION = Pattern.compile("^Disassembly of section (.*):$");
    private static final Pattern FUNCTION = Pattern.compile("^([0-9a-f]{16}) <(.*)>:$");
    private static final Pattern INSTRUCTION = Pattern.compile("^\\s+(\\d+):\\t.*");

    static Stream<Arguments> fixtures() {
        return BtfDumpTest.fixtures();
    }

    /** What llvm-objdump -S shows: per section, the functions by byte offset and the source line above each insn. */
    record Listing(Map<String, Map<Long, String>> functions, Map<String, Map<Long, String>> sourceLines) {
        static Listing read(String text) {
            Map<String, Map<Long, String>> functions = new HashMap<>();
            Map<String, Map<Long, String>> lines = new HashMap<>();
            String section = null;
            String source = null;
            for (String line : text.split("\n")) {
                Matcher m;
                if ((m = SECTION.matcher(line)).matches()) {
                    section = m.group(1);
                    source = null;
                } else if ((m = FUNCTION.matcher(line)).matches()) {
                    functions.computeIfAbsent(section, s -> new HashMap<>()).put(Long.parseLong(m.group(1), 16),
                            m.group(2));
                } else if (line.startsWith("; ")) {
                    source = line.substring(2);
                } else if ((m = INSTRUCTION.matcher(line)).matches() && source != null) {
                    lines.computeIfAbsent(section, s -> new HashMap<>()).put(Long.parseLong(m.group(1)) * 8, source);
                }
            }
            return new Listing(functions, lines);
        }
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("fixtures")
    void funcInfoNamesTheFunctionsObjdumpShows(String name, String order) {
        Btf btf = Fixtures.btf(name, order);
        BtfExt ext = Fixtures.ext(name, order);
        Listing listing = Listing.read(Fixtures.text("expected/" + name + "." + order + ".objdump.txt"));
        Map<String, Map<Long, String>> fromBtf = new HashMap<>();
        for (FuncInfo info : ext.funcInfos()) {
            fromBtf.computeIfAbsent(info.section(), s -> new HashMap<>()).put(info.insnOffset(),
                    btf.type(info.type()).name());
        }
        assertEquals(listing.functions(), fromBtf);
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("fixtures")
    void lineInfoGivesTheSourceLinesObjdumpShows(String name, String order) {
        BtfExt ext = Fixtures.ext(name, order);
        Listing listing = Listing.read(Fixtures.text("expected/" + name + "." + order + ".objdump.txt"));
        assertFalse(ext.lineInfos().isEmpty());
        for (LineInfo info : ext.lineInfos()) {
            assertEquals("./src/" + name + ".c", info.fileName());
            assertTrue(info.lineNumber() > 0, info.toString());
            String function = listing.functions().getOrDefault(info.section(), Map.of()).get(info.insnOffset());
            if (info.column() == 0 && function != null) {
                // Where the first instruction has no location of its own, clang records the function's declaration
                // line (column 0) in BTF, while DWARF (and so objdump) shows the prologue's line, usually "{".
                assertTrue(info.line().contains(function + "("), info + " does not declare " + function);
                continue;
            }
            String shown = listing.sourceLines().getOrDefault(info.section(), Map.of()).get(info.insnOffset());
            assertEquals(shown, info.line(), info.section() + " insn " + info.insnOffset() / 8);
        }
    }

    @ParameterizedTest(name = "core.{0}")
    @MethodSource("orders")
    void coreRelocationsAreWhatTheSourceAsksFor(String order) {
        Btf btf = Fixtures.btf("core", order);
        int task = btf.typeId("task", BtfKind.STRUCT).orElseThrow();
        int taskT = btf.typeId("task_t", BtfKind.TYPEDEF).orElseThrow();
        int state = btf.typeId("state", BtfKind.ENUM).orElseThrow();
        String fields = "tracepoint/sched/sched_switch";
        List<String> expected = List.of(
                // t->parent (member 4), t->tgid (1), parent->pid (0), t->comm[3] (member 5, element 3)
                fields + " " + task + " 0:4 FIELD_BYTE_OFFSET",
                fields + " " + task + " 0:1 FIELD_BYTE_OFFSET",
                fields + " " + task + " 0:0 FIELD_BYTE_OFFSET",
                fields + " " + task + " 0:5:3 FIELD_BYTE_OFFSET",
                fields + " " + task + " 0:2 FIELD_BYTE_SIZE",
                fields + " " + task + " 0:3 FIELD_EXISTS",
                fields + " " + task + " 0:3 FIELD_SIGNED",
                fields + " " + task + " 0:3 FIELD_LSHIFT_U64",
                fields + " " + task + " 0:3 FIELD_RSHIFT_U64",
                ".text " + task + " 0:0 FIELD_BYTE_OFFSET",
                "kprobe/types " + task + " 0 TYPE_EXISTS",
                "kprobe/types " + taskT + " 0 TYPE_SIZE",
                "kprobe/types " + task + " 0 TYPE_MATCHES",
                "kprobe/types " + task + " 0 TYPE_ID_LOCAL",
                "kprobe/types " + task + " 0 TYPE_ID_TARGET",
                // STOPPED is enumerator 2, SLEEPING enumerator 1
                "kprobe/types " + state + " 2 ENUMVAL_EXISTS",
                "kprobe/types " + state + " 1 ENUMVAL_VALUE");
        List<String> actual = new ArrayList<>();
        for (CoreRelo relo : Fixtures.ext("core", order).coreRelos()) {
            actual.add(relo.section() + " " + relo.type() + " " + relo.accessString() + " " + relo.kind());
            assertEquals(relo.accessString(), String.join(":", relo.access().stream().map(String::valueOf).toList()));
        }
        assertEquals(expected, actual);
        assertEquals(List.of(0, 5, 3), Fixtures.ext("core", order).coreRelos(fields).get(3).access());
    }

    static Stream<String> orders() {
        return Stream.of(Fixtures.ORDERS);
    }

    @Test
    void kindsCarryLinuxNumbers() {
        assertEquals(0, CoreReloKind.FIELD_BYTE_OFFSET.number());
        assertEquals(6, CoreReloKind.TYPE_ID_LOCAL.number());
        assertEquals(10, CoreReloKind.ENUMVAL_EXISTS.number());
        assertEquals(12, CoreReloKind.TYPE_MATCHES.number());
        for (CoreReloKind kind : CoreReloKind.values()) {
            assertEquals(kind.ordinal(), kind.number());
            assertSame(kind, CoreReloKind.of(kind.number()));
        }
    }

    @Test
    void typesFixtureHasNoCoreRelocations() {
        assertEquals(List.of(), Fixtures.ext("types", "el").coreRelos());
    }

    /** A newer compiler may write longer records; the reader must step by the stated size and read the prefix. */
    @Test
    void recordsLongerThanTheKnownFieldsAreRead() {
        Btf btf = Fixtures.btf("core", "el");
        BtfExt original = Fixtures.ext("core", "el");
        BtfExt padded = BtfExt.parse(ExtWriter.write(original, btf, ByteOrder.BIG_ENDIAN, 8), btf);
        assertEquals(original.funcInfos(), padded.funcInfos());
        assertEquals(original.lineInfos(), padded.lineInfos());
        assertEquals(original.coreRelos(), padded.coreRelos());
        assertEquals(ByteOrder.BIG_ENDIAN, padded.header().order());
    }

    /** Writes a .BTF.ext back from a parsed one, with {@code padding} extra bytes per record. */
    static final class ExtWriter {
        static byte[] write(BtfExt ext, Btf btf, ByteOrder order, int padding) {
            ByteBuffer func = subsection(8 + padding, order);
            for (String section : sections(ext.funcInfos().stream().map(FuncInfo::section).toList())) {
                List<FuncInfo> records = ext.funcInfos(section);
                block(func, btf, section, records.size());
                for (FuncInfo r : records) {
                    func.putInt((int) r.insnOffset()).putInt(r.type()).put(new byte[padding]);
                }
            }
            ByteBuffer line = subsection(16 + padding, order);
            for (String section : sections(ext.lineInfos().stream().map(LineInfo::section).toList())) {
                List<LineInfo> records = ext.lineInfos(section);
                block(line, btf, section, records.size());
                for (LineInfo r : records) {
                    line.putInt((int) r.insnOffset()).putInt(offsetOf(btf, r.fileName())).putInt(offsetOf(btf, r.line()))
                            .putInt(r.lineNumber() << 10 | r.column()).put(new byte[padding]);
                }
            }
            ByteBuffer core = subsection(16 + padding, order);
            for (String section : sections(ext.coreRelos().stream().map(CoreRelo::section).toList())) {
                List<CoreRelo> records = ext.coreRelos(section);
                block(core, btf, section, records.size());
                for (CoreRelo r : records) {
                    core.putInt((int) r.insnOffset()).putInt(r.type()).putInt(offsetOf(btf, r.accessString()))
                            .putInt(r.kind().number()).put(new byte[padding]);
                }
            }
            int funcLength = func.position();
            int lineLength = line.position();
            int coreLength = core.position();
            ByteBuffer out = ByteBuffer.allocate(32 + funcLength + lineLength + coreLength).order(order);
            out.putShort((short) BtfHeader.MAGIC).put((byte) 1).put((byte) 0).putInt(32)
                    .putInt(0).putInt(funcLength).putInt(funcLength).putInt(lineLength)
                    .putInt(funcLength + lineLength).putInt(coreLength);
            out.put(func.array(), 0, funcLength).put(line.array(), 0, lineLength).put(core.array(), 0, coreLength);
            return out.array();
        }

        private static ByteBuffer subsection(int recordSize, ByteOrder order) {
            return ByteBuffer.allocate(1 << 16).order(order).putInt(recordSize);
        }

        private static List<String> sections(List<String> inOrder) {
            return inOrder.stream().distinct().toList();
        }

        private static void block(ByteBuffer out, Btf btf, String section, int count) {
            out.putInt(offsetOf(btf, section)).putInt(count);
        }

        /** The first offset of the string section holding {@code text}. */
        static int offsetOf(Btf btf, String text) {
            int offset = 0;
            while (offset < btf.strings().length()) {
                String here = btf.strings().at(offset);
                if (here.equals(text)) {
                    return offset;
                }
                offset += here.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
            }
            throw new IllegalArgumentException("no string " + text);
        }
    }
}
