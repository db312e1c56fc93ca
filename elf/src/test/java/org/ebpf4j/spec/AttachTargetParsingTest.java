package org.ebpf4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {section name, the target it names}, per target format, with the forms of libbpf's documented footnotes. */
class AttachTargetParsingTest {

    static Stream<Arguments> targets() {
        return Stream.of(
                of("kprobe/do_unlinkat", new AttachTarget.KernelFunction("do_unlinkat", 0)),
                of("kprobe/tcp_v4_connect+16", new AttachTarget.KernelFunction("tcp_v4_connect", 16)),
                of("kprobe/foo.isra.0+0x1a", new AttachTarget.KernelFunction("foo.isra.0", 0x1a)),
                of("kretprobe/do_sys_openat2", new AttachTarget.KernelFunction("do_sys_openat2", 0)),
                of("kprobe/", new AttachTarget.None()),
                of("kprobe", new AttachTarget.None()),
                of("kprobe.multi/tcp_*", new AttachTarget.FunctionPattern("tcp_*")),
                of("ksyscall/openat", new AttachTarget.Syscall("openat")),
                of("uprobe//usr/lib/libc.so:malloc", new AttachTarget.UserFunction("/usr/lib/libc.so", "malloc", 0)),
                of("uprobe/./app:main+0x10", new AttachTarget.UserFunction("./app", "main", 0x10)),
                of("uprobe/libc.so.6:malloc@GLIBC_2.2.5",
                        new AttachTarget.UserFunction("libc.so.6", "malloc@GLIBC_2.2.5", 0)),
                of("uretprobe.s//bin/bash:readline", new AttachTarget.UserFunction("/bin/bash", "readline", 0)),
                of("uprobe.multi//usr/lib/libc.so.6:str*",
                        new AttachTarget.UserFunctionPattern("/usr/lib/libc.so.6", "str*")),
                of("usdt//usr/lib/libc.so.6:libc:setjmp",
                        new AttachTarget.Usdt("/usr/lib/libc.so.6", "libc", "setjmp")),
                of("tracepoint/syscalls/sys_enter_openat",
                        new AttachTarget.Tracepoint("syscalls", "sys_enter_openat")),
                of("tp/sched/sched_switch", new AttachTarget.Tracepoint("sched", "sched_switch")),
                of("raw_tp/sched_switch", new AttachTarget.Named("sched_switch")),
                of("fentry/do_unlinkat", new AttachTarget.Named("do_unlinkat")),
                of("fexit/bpf_testmod:bpf_testmod_test_read",
                        new AttachTarget.Named("bpf_testmod:bpf_testmod_test_read")),
                of("lsm.s/file_open", new AttachTarget.Named("file_open")),
                of("iter/bpf_map_elem", new AttachTarget.Named("bpf_map_elem")),
                of("struct_ops/dctcp_init", new AttachTarget.Named("dctcp_init")),
                of("jvm/method/entry/java.util.HashMap#put",
                        new AttachTarget.JavaMethod("java.util.HashMap", "put", Optional.empty())),
                of("jvm/method/exit/a.b.Outer$Inner#<init>(ILjava/lang/String;)V",
                        new AttachTarget.JavaMethod("a.b.Outer$Inner", "<init>",
                                Optional.of("(ILjava/lang/String;)V"))),
                of("jvm/method/entry", new AttachTarget.None()),
                of("jvm/tracepoint/gc/collection_end", new AttachTarget.Tracepoint("gc", "collection_end")),
                of("jvm/timer/10ms", new AttachTarget.Timer(Duration.ofMillis(10))),
                of("jvm/timer/500us", new AttachTarget.Timer(Duration.ofNanos(500_000))),
                of("jvm/timer/250ns", new AttachTarget.Timer(Duration.ofNanos(250))),
                of("jvm/timer/2s", new AttachTarget.Timer(Duration.ofSeconds(2))),
                of("jvm/timer/100hz", new AttachTarget.Timer(Duration.ofMillis(10))));
    }

    private static Arguments of(String section, AttachTarget target) {
        return Arguments.of(section, target);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void parses(String section, AttachTarget expected) {
        var match = assertInstanceOf(SectionMatch.Known.class, SectionNames.resolve(section));
        assertEquals(expected, match.target());
    }

    /** Known section types with targets that do not read: the type still resolves, the target says why not. */
    @ParameterizedTest
    @ValueSource(strings = {
            "kprobe/do_unlinkat+", "kprobe/do_unlinkat+-4", "kprobe/do unlinkat", "kprobe/+8",
            "uprobe//bin/bash", "uprobe//bin/bash:", "uprobe/:malloc", "usdt//bin/app:provider",
            "usdt//bin/app::name", "tracepoint/syscalls", "tracepoint/syscalls/", "tp//name",
            "uprobe.multi//bin/bash", "jvm/method/entry/java.util.HashMap", "jvm/method/entry/java/util/Map#get",
            "jvm/method/entry/#get", "jvm/method/entry/A#", "jvm/method/entry/A#(I)V", "jvm/method/exit/A#m(",
            "jvm/tracepoint/gc", "jvm/timer/0ms", "jvm/timer/10", "jvm/timer/fast",
            "jvm/timer/99999999999999999999s"})
    void malformedTargets(String section) {
        var match = assertInstanceOf(SectionMatch.Known.class, SectionNames.resolve(section));
        assertInstanceOf(AttachTarget.Malformed.class, match.target(), () -> String.valueOf(match.target()));
    }
}
