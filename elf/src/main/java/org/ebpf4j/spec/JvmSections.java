package org.ebpf4j.spec;

import static org.ebpf4j.spec.SectionRows.targeted;

import java.util.List;

/**
 * ebpf4j's own section names, for programs attached to events inside a Java process. They follow libbpf's grammar
 * (a {@code TYPE+} row: the bare type, or {@code TYPE/TARGET}) under one {@code jvm/} namespace that libbpf does not
 * use, and each reuses the Linux program type whose context and helpers fit the event, so that the same C macros
 * ({@code BPF_KPROBE}, {@code PT_REGS_PARM1}, tracepoint structs) work unchanged.
 *
 * <table>
 * <caption>JVM hook sections</caption>
 * <tr><th>Section</th><th>Program type</th><th>Target</th><th>Fires</th><th>Kernel analogue</th></tr>
 * <tr><td>{@code jvm/method/entry/CLASS#METHOD[DESC]}</td><td>KPROBE</td><td>{@link AttachTarget.JavaMethod}</td>
 *     <td>on entry to the method, arguments in the {@code pt_regs} argument registers</td><td>uprobe</td></tr>
 * <tr><td>{@code jvm/method/exit/CLASS#METHOD[DESC]}</td><td>KPROBE</td><td>{@link AttachTarget.JavaMethod}</td>
 *     <td>on normal return, the return value in the {@code pt_regs} return register</td><td>uretprobe</td></tr>
 * <tr><td>{@code jvm/tracepoint/CATEGORY/NAME}</td><td>TRACEPOINT</td><td>{@link AttachTarget.Tracepoint}</td>
 *     <td>when Java code or the runtime emits the named event, with a typed record as context</td>
 *     <td>tracepoint</td></tr>
 * <tr><td>{@code jvm/timer/PERIOD}</td><td>PERF_EVENT</td><td>{@link AttachTarget.Timer}</td>
 *     <td>every period ({@code 10ms}, {@code 500us}) or at a frequency ({@code 99hz})</td>
 *     <td>perf_event with a software clock</td></tr>
 * </table>
 *
 * <p>CLASS is the binary name with dots ({@code java.util.HashMap}, nested {@code a.Outer$Inner}); METHOD is the
 * method name, {@code <init>} for constructors; DESC, optional, is the JVM descriptor that selects one overload
 * ({@code put(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;}). Targets are optional as for libbpf's
 * kprobes: without one, the program is attached through the Java API. The exact context layouts belong to the hooks
 * module; see {@code docs/section-names.md}.
 */
public final class JvmSections {

    private static final SectionOrigin E = SectionOrigin.EBPF4J;

    /** The namespace every ebpf4j section name starts with. */
    public static final String NAMESPACE = "jvm/";

    /** The table. */
    public static final List<SectionDefinition> DEFINITIONS = List.of(
            targeted("jvm/method/entry+", ProgramType.KPROBE, null, TargetFormat.JAVA_METHOD, E),
            targeted("jvm/method/exit+", ProgramType.KPROBE, null, TargetFormat.JAVA_METHOD, E),
            targeted("jvm/tracepoint+", ProgramType.TRACEPOINT, null, TargetFormat.CATEGORY_AND_NAME, E),
            targeted("jvm/timer+", ProgramType.PERF_EVENT, null, TargetFormat.PERIOD, E));

    private JvmSections() {
    }
}
