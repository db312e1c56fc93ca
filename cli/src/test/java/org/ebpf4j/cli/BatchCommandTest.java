package org.ebpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ebpf4j.linux.LinuxBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ebpf4j batch}: every verb of a script on a collection loaded into this JVM and into the kernel
 * ({@code load --kernel}, skipped where bpf() is not permitted), which must print the same; errors with their line;
 * the JSON array.
 */
class BatchCommandTest {
    static final Path OBJ = Path.of("..", "fixtures", "obj");
    static final String SPIN_LOCK = OBJ.resolve("spin_lock.v3.o").toString();
    /** struct locked {u64 before; struct bpf_spin_lock lock; u32 count; u64 after;} with the lock bytes set. */
    static final String LOCKED_VALUE = "hex 11 00 00 00 00 00 00 00 ff ff ff ff 07 00 00 00 22 00 00 00 00 00 00 00";

    @TempDir
    Path directory;

    record Result(int status, String out, String err) {}

    static Result ebpf4j(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    Result batch(String script, String... options) throws IOException {
        Path file = Files.createTempFile(directory, "script", ".txt");
        Files.writeString(file, script);
        List<String> args = new ArrayList<>(List.of("batch"));
        args.addAll(List.of(options));
        args.add(file.toString());
        return ebpf4j(args.toArray(String[]::new));
    }

    static void requireKernel() {
        try {
            LinuxBackend.open();
        } catch (RuntimeException e) {
            abort(e.getMessage() + " (the --kernel half needs bpf(): run as root)");
        }
    }

    /** The map verbs of the script below, after a load line; nothing in them depends on the backend. */
    static String mapVerbs() {
        return String.join("\n",
                "# a map with BTF: text through its types",
                "map update s/locked_hash key 1 0 0 0 value " + LOCKED_VALUE,
                "map lookup s/locked_hash key 0x01 0 0 0",
                "map lookup s/locked_hash key hex 01 00 00 00 lock",
                "map update s/locked_hash key 1 0 0 0 value " + LOCKED_VALUE.replace("07", "08") + " exist lock",
                "map getnext s/locked_hash",
                "map update s/locked_hash key 2 0 0 0 value " + LOCKED_VALUE + " noexist",
                "map getnext \"s/plain\" key 1 0 0 0",
                "map delete s/locked_hash key 2 0 0 0",
                "map dump s/locked_hash",
                "map update s/plain key 2 0 0 0 value 1 2 3 4 5 6 7 010",
                "map lookup s/plain key 2 0 0 0",
                "map freeze s/plain",
                "map dump s/plain",
                "");
    }

    @Test
    void mapVerbsOnTheJvmBackend() throws IOException {
        Result r = batch("load " + SPIN_LOCK + " s --unverified\n" + mapVerbs());
        assertEquals(0, r.status(), r.err());
        String out = r.out();
        // The lock's bytes are never written from outside and read as zero: "lock": {"val": 0}.
        assertTrue(out.startsWith("""
                {
                    "key": 1,
                    "value": {
                        "before": 17,
                        "lock": {
                            "val": 0
                        },
                        "count": 7,
                        "after": 34
                    }
                }
                """), out);
        assertTrue(out.contains("key: None\nnext key:\n01 00 00 00\nkey:\n01 00 00 00\nnext key:\n02 00 00 00\n"),
                out);
        assertTrue(out.contains("{\n    \"key\": 2,\n    \"value\": 578437695752307201\n}\n"), out);
        assertTrue(out.contains("\"count\": 8"), out);
        assertTrue(out.endsWith("processed 14 commands\n"), out);
    }

    @Test
    void bothBackendsPrintTheSame() throws IOException {
        requireKernel();
        Result jvm = batch("load " + SPIN_LOCK + " s --unverified\n" + mapVerbs());
        Result kernel = batch("load " + SPIN_LOCK + " s --kernel\n" + mapVerbs());
        assertEquals(0, kernel.status(), kernel.err());
        assertEquals(kernel.out(), jvm.out());
        Result jvmJson = batch("load " + SPIN_LOCK + " s --unverified\n" + mapVerbs(), "--json");
        Result kernelJson = batch("load " + SPIN_LOCK + " s --kernel\n" + mapVerbs(), "--json");
        assertEquals(kernelJson.out().replace("\"--kernel\"", "\"--unverified\""), jvmJson.out());
    }

    @Test
    void errorsNameTheLineAndStopTheScript() throws IOException {
        Result r = batch(String.join("\n",
                "load " + SPIN_LOCK + " s --unverified",
                "",
                "map lookup s/locked_hash key 9 0 0 0   # line 3: not there",
                "map dump s/plain"));
        assertEquals(1, r.status());
        assertEquals("Error: line 3: lookup failed: No such file or directory\n", r.err());
        assertEquals("", r.out());
        List<String[]> cases = List.of(
                new String[] {"map update s/plain key 9 0 0 0 value 0 0 0 0 0 0 0 0",
                        "Error: line 2: update failed: Argument list too long"},
                new String[] {"map update s/plain key 0 0 0 0 value 0 0 0 0 0 0 0 0 lock",
                        "Error: line 2: update failed: Invalid argument"},
                new String[] {"map update s/plain key 0 0 0 0 value 0 0 0 0 0 0 0 0 noexist",
                        "Error: line 2: update failed: File exists"},
                new String[] {"map lookup s/plain key 0 0 0", "Error: line 2: key expected 4 bytes got 3"},
                new String[] {"map update s/plain key 0 0 0 value 0 0 0 0 0 0 0 0",
                        "Error: line 2: error parsing byte: value"},
                new String[] {"map lookup s/plain key 0 0 0 0 lock", "Error: line 2: lookup failed: Invalid argument"},
                new String[] {"map lookup s/plain key 0 0 0 256", "Error: line 2: error parsing byte: 256"},
                new String[] {"map delete s/plain key 0 0 0 0", "Error: line 2: delete failed: Invalid argument"},
                new String[] {"map freeze s/locked_array",
                        "Error: line 2: failed to freeze map: Operation is not supported"},
                new String[] {"map dump t/plain",
                        "Error: line 2: no collection 't' is loaded (load FILE.o t first); loaded: [s]"},
                new String[] {"map dump s/nothing", "Error: line 2: no map 'nothing' in s; it has [locked_hash,"
                        + " locked_array, plain, answers, .rodata]"},
                new String[] {"prog show s/nothing", "Error: line 2: no program 'nothing' in s"},
                new String[] {"map getnext s/locked_hash", "Error: line 2: can't get next key: No such file or"
                        + " directory"},
                new String[] {"map lookup s/plain key 0 0 0 0 \"unclosed", "Error: line 2: unterminated \" quote"},
                new String[] {"map frobnicate s/plain", "Error: line 2: Unmatched arguments from index 1: 'frobnicate', 's/plain'"});
        for (String[] c : cases) {
            Result failed = batch("load " + SPIN_LOCK + " s --unverified\n" + c[0] + "\nmap dump s/plain\n");
            assertEquals(1, failed.status(), c[0]);
            assertEquals(c[1], failed.err().lines().findFirst().orElse(""), c[0]);
        }
    }

    @Test
    void jsonIsOneArrayOfCommandsAndOutputs() throws IOException {
        Result r = batch("load " + SPIN_LOCK + " s --unverified\n" + mapVerbs()
                + "prog test-run s/lock_updates --data-hex " + "00".repeat(64) + "\n", "--json");
        assertEquals(0, r.status(), r.err());
        List<?> all = (List<?>) JsonReader.read(r.out());
        assertEquals(15, all.size());
        Map<?, ?> load = (Map<?, ?>) all.getFirst();
        assertEquals(List.of("load", SPIN_LOCK, "s", "--unverified"), load.get("command"));
        assertEquals(null, load.get("output"));
        Map<?, ?> lookup = (Map<?, ?>) ((Map<?, ?>) all.get(2)).get("output");
        assertEquals(List.of("0x01", "0x00", "0x00", "0x00"), lookup.get("key"));
        assertEquals("0x11", ((List<?>) lookup.get("value")).get(0));
        assertEquals("0x00", ((List<?>) lookup.get("value")).get(8), "the lock reads as zero");
        Map<?, ?> testRun = (Map<?, ?>) ((Map<?, ?>) all.getLast()).get("output");
        assertEquals(2, ((Number) testRun.get("retval")).intValue());

        Result failed = batch("load " + SPIN_LOCK + " s --unverified\nmap lookup s/plain key 7 0 0 0\n", "--json");
        assertEquals(1, failed.status());
        List<?> outputs = (List<?>) JsonReader.read(failed.out());
        assertEquals(Map.of("error", "lookup failed: No such file or directory"),
                ((Map<?, ?>) outputs.getLast()).get("output"));
    }

    @Test
    void progVerbsAndRunOnLoadedPrograms() throws IOException {
        Path capture = Path.of("..", "examples", "traffic.pcap");
        Result r = batch(String.join("\n",
                "load " + SPIN_LOCK + " s --unverified --engine jit",
                "prog show",
                "prog test-run s/lock_updates --data-hex " + "00".repeat(64),
                "map lookup s/answers key 2 0 0 0",
                "load ../examples/xdp_stats.o x",
                "run x/xdp_stats --pcap " + capture,
                "map show s/plain"));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("s/lock_updates: xdp  name lock_updates  the jvm backend (jit, unverified)\n"
                + "\txlated "), r.out());
        assertTrue(r.out().contains("Return value: 2 (0x2)\n"), r.out());
        // bpf_map_update_elem(locked_hash, 2, .., BPF_F_LOCK | BPF_EXIST): -ENOENT, as in the kernel.
        assertTrue(r.out().contains("{\n    \"key\": 2,\n    \"value\": -2\n}\n"), r.out());
        assertTrue(r.out().contains("xdp_stats (XDP) over " + capture + " (pcap, 3000 packets) on the jvm backend"),
                r.out());
        assertTrue(r.out().contains("s/plain: array  name plain  flags 0x0\n\tkey 4B  value 8B  max_entries 4\n"),
                r.out());
        assertTrue(r.out().endsWith("processed 7 commands\n"), r.out());
    }

    @Test
    void kernelCollectionsLiveForTheScript() throws IOException {
        requireKernel();
        Result r = batch(String.join("\n",
                "load " + SPIN_LOCK + " k --kernel",
                "prog test-run k/lock_updates --data-hex " + "00".repeat(64),
                "map lookup k/answers key 7 0 0 0",
                "prog show k/lock_updates",
                "map show k/plain --json",
                "load ../examples/xdp_stats.o x --kernel",
                "run x/xdp_stats --pcap ../examples/traffic.pcap"));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("xdp_stats (XDP) over ../examples/traffic.pcap (pcap, 3000 packets) on the kernel"
                + " backend\n"), r.out());
        assertTrue(r.out().contains("trace_printk: " + CaptureReport.TRACE_NOT_COLLECTED), r.out());
        assertTrue(r.out().contains("{\n    \"key\": 7,\n    \"value\": -22\n}\n"), r.out()); // -EINVAL
        assertTrue(r.out().contains("k/lock_updates  "), r.out());
        assertTrue(r.out().contains("xdp  name lock_updates  tag "), r.out());
        assertTrue(r.out().contains("\"backend\": \"kernel\""), r.out());
    }

    /** bpftool gives a per-CPU map's value to every CPU and prints one value per CPU. */
    @Test
    void perCpuMapsHaveAValuePerCpu() throws IOException {
        Result r = batch(String.join("\n",
                "load " + OBJ.resolve("btf_maps.v3.o") + " b --unverified",
                "map update b/percpu_hash key 1 0 0 0 0 0 0 0 value 7 0 0 0 0 0 0 0",
                "map lookup b/percpu_hash key 1 0 0 0 0 0 0 0",
                "map dump b/percpu_hash --json"));
        Result locked = batch("load " + OBJ.resolve("btf_maps.v3.o") + " b --unverified\n"
                + "map lookup b/percpu_hash key 1 0 0 0 0 0 0 0 lock\n");
        assertEquals("Error: line 2: lookup failed: Invalid argument\n", locked.err());
        assertEquals(0, r.status(), r.err());
        int cpus = org.ebpf4j.runtime.maps.JvmMaps.defaultCpus();
        StringBuilder values = new StringBuilder();
        for (int cpu = 0; cpu < cpus; cpu++) {
            values.append(cpu == 0 ? "" : ",").append("{\n            \"cpu\": ").append(cpu)
                    .append(",\n            \"value\": 7\n        }");
        }
        assertTrue(r.out().startsWith("{\n    \"key\": 1,\n    \"values\": [" + values + "\n    ]\n}\n"), r.out());
        String json = r.out().substring(r.out().indexOf("\n[") + 1, r.out().lastIndexOf("processed"));
        List<?> dump = (List<?>) JsonReader.read(json);
        assertEquals(cpus, ((List<?>) ((Map<?, ?>) dump.getFirst()).get("values")).size());
    }

    @Test
    void scriptsComeFromStandardInputToo() {
        BatchCommand command = new BatchCommand();
        command.stdin = new java.io.ByteArrayInputStream(("load " + SPIN_LOCK + " s --unverified\n"
                + "map lookup s/plain key 1 0 0 0\n").getBytes());
        var out = new StringWriter();
        var cli = new picocli.CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("-"));
        assertEquals("{\n    \"key\": 1,\n    \"value\": 0\n}\nprocessed 2 commands\n", out.toString());
    }

    @Test
    void scriptWords() {
        List<BatchScript.Command> commands = BatchScript.parse(String.join("\n",
                "# comment",
                "map lookup \"a b\" 'c d' e\\ f # tail",
                "",
                "map dump \\",
                "  s/x",
                "  "));
        assertEquals(List.of(new BatchScript.Command(2, List.of("map", "lookup", "a b", "c d", "e f")),
                new BatchScript.Command(4, List.of("map", "dump", "s/x"))), commands);
    }
}
