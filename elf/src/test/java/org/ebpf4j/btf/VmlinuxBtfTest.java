package org.ebpf4j.btf;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The running kernel's own BTF: parsed whole, spot-checked, and (where bpftool exists) dumped against bpftool. */
class VmlinuxBtfTest {
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");
    private static byte[] raw;
    private static Btf btf;

    @BeforeAll
    static void parse() throws IOException {
        assumeTrue(Files.isReadable(VMLINUX), VMLINUX + " is absent or unreadable (kernel without CONFIG_DEBUG_INFO_BTF)");
        raw = Files.readAllBytes(VMLINUX);
        // How fast is measured by bench's BtfParseBenchmark, not here.
        btf = Btf.parse(raw);
    }

    @Test
    void typeCountMatchesTheTypeSection() {
        assertTrue(btf.lastTypeId() > 10_000, "only " + btf.lastTypeId() + " types");
        assertEquals(btf.lastTypeId(), btf.types().size());
    }

    @Test
    void knownTypes() {
        int task = btf.typeId("task_struct", BtfKind.STRUCT).orElseThrow();
        assertTrue(btf.sizeOf(task) > 1000);
        assertTrue(btf.member(task, "pid").isPresent());
        int xdp = btf.typeId("xdp_md", BtfKind.STRUCT).orElseThrow();
        assertEquals(24, btf.sizeOf(xdp));
        String[] names = {"data", "data_end", "data_meta", "ingress_ifindex", "rx_queue_index", "egress_ifindex"};
        for (int i = 0; i < names.length; i++) {
            Member member = btf.member(xdp, names[i]).orElseThrow();
            assertEquals(32L * i, member.bitOffset(), names[i]);
            assertEquals(4, btf.sizeOf(member.type()), names[i]);
        }
    }

    @Test
    void dumpMatchesBpftool() throws Exception {
        Path bpftool = findOnPath("bpftool");
        assumeTrue(bpftool != null, "bpftool is not installed: the full vmlinux dump comparison needs it at test time");
        Process process = new ProcessBuilder(bpftool.toString(), "btf", "dump", "file", VMLINUX.toString(),
                "format", "raw").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assumeTrue(process.exitValue() == 0, "bpftool failed on " + VMLINUX);
        BtfDumpTest.assertLinesEqual(new String(out, StandardCharsets.UTF_8), BtfDump.raw(btf));
    }

    private static Path findOnPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
        for (String dir : List.of(path.split(":"))) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
