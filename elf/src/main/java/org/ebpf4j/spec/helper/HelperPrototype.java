package org.ebpf4j.spec.helper;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.ebpf4j.spec.HelperFunction;

/**
 * A helper's prototype (the kernel's {@code struct bpf_func_proto}): what each of r1-r5 must hold, what r0 holds
 * after the call, whether only GPL-compatible programs may call it and whether it accepts packet pointers.
 *
 * <p>The kernel's helpers are {@link HelperPrototypes}; a Java application describes its own helpers (ids above the
 * kernel's, see {@link #custom}) with the same vocabulary, so that the verifier checks calls to them as it checks
 * calls to the kernel's.
 *
 * @param id the number programs call ({@code call imm})
 * @param name the helper's name in messages ({@code bpf_map_lookup_elem})
 * @param gplOnly only programs whose license is GPL-compatible may call it
 * @param packetAccess packet pointers may be passed as memory arguments ({@code pkt_access})
 * @param mightSleep only sleepable programs may call it ({@code might_sleep})
 * @param returns what r0 holds after the call
 * @param args r1 to r5, {@link ArgType#DONTCARE} from the first unused one on (always five)
 */
public record HelperPrototype(int id, String name, boolean gplOnly, boolean packetAccess, boolean mightSleep,
                              ReturnSpec returns, List<ArgSpec> args) {
    /** Helpers take at most five arguments, in r1-r5. */
    public static final int MAX_ARGS = 5;

    /** The largest id a helper may have in ebpf4j (the runtime's helper table is indexed by id). */
    public static final int MAX_ID = 0xffff;

    private static final ArgSpec UNUSED = ArgSpec.of(ArgType.DONTCARE);

    public HelperPrototype {
        Objects.requireNonNull(name);
        Objects.requireNonNull(returns);
        if (args.size() > MAX_ARGS) {
            throw new IllegalArgumentException(name + ": more than five arguments");
        }
        ArgSpec[] padded = new ArgSpec[MAX_ARGS];
        for (int i = 0; i < MAX_ARGS; i++) {
            padded[i] = i < args.size() ? args.get(i) : UNUSED;
        }
        args = List.of(padded);
    }

    /** A kernel helper's prototype. */
    public HelperPrototype(HelperFunction helper, boolean gplOnly, boolean packetAccess, boolean mightSleep,
                           ReturnSpec returns, List<ArgSpec> args) {
        this(helper.value(), helper.kernelName(), gplOnly, packetAccess, mightSleep, returns, args);
    }

    /** What a Java helper may take: numbers, memory with its size, the context, a map with its key or value. */
    private static final Set<ArgType> JAVA_ARGUMENTS = EnumSet.of(ArgType.DONTCARE, ArgType.ANYTHING,
            ArgType.PTR_TO_MEM, ArgType.CONST_SIZE, ArgType.CONST_SIZE_OR_ZERO, ArgType.PTR_TO_CTX,
            ArgType.CONST_MAP_PTR, ArgType.PTR_TO_MAP_KEY, ArgType.PTR_TO_MAP_VALUE);

    /**
     * The prototype of a helper that Java code provides: an id above the kernel's helpers (they end at
     * {@code __BPF_FUNC_MAX_ID}, {@link HelperFunction#maxId()}), callable from any program type, by any license.
     * It returns an integer or nothing ({@link ReturnType#INTEGER}, {@link ReturnType#VOID}) and takes the
     * argument types of {@link #JAVA_ARGUMENTS}: no references, locks or kernel objects, whose lifetimes the
     * verifier tracks for the kernel's helpers only.
     *
     * @throws IllegalArgumentException for an id of the kernel's or beyond {@link #MAX_ID}, another return or
     *     argument type, or a prototype that is not consistent (check_func_proto's rules)
     */
    public static HelperPrototype custom(int id, String name, ReturnSpec returns, ArgSpec... args) {
        if (id < HelperFunction.maxId() || id > MAX_ID) {
            throw new IllegalArgumentException("helper id " + id + " for " + name + ": Java helpers take ids from "
                    + HelperFunction.maxId() + " to " + MAX_ID + " (the ones below are the kernel's)");
        }
        if (returns.type() != ReturnType.INTEGER && returns.type() != ReturnType.VOID) {
            throw new IllegalArgumentException(name + ": a Java helper returns an integer or nothing, not " + returns);
        }
        for (ArgSpec arg : args) {
            if (!JAVA_ARGUMENTS.contains(arg.type())) {
                throw new IllegalArgumentException(name + ": a Java helper cannot take " + arg);
            }
        }
        HelperPrototype prototype = new HelperPrototype(id, name, false, false, false, returns, List.of(args));
        prototype.inconsistency().ifPresent(problem -> {
            throw new IllegalArgumentException(name + ": " + problem);
        });
        return prototype;
    }

    /** The kernel helper this describes; empty for a Java helper. */
    public Optional<HelperFunction> kernelHelper() {
        return id < HelperFunction.maxId() ? HelperFunction.of(id) : Optional.empty();
    }

    /** As the verifier's messages name it: {@code name#id}. */
    public String displayName() {
        return name + "#" + id;
    }

    /** Argument {@code n}, counted from 1 as the kernel's {@code argN_type}. */
    public ArgSpec arg(int n) {
        return args.get(n - 1);
    }

    /** How many arguments the helper uses (those before the first DONTCARE). */
    public int argCount() {
        int n = 0;
        while (n < MAX_ARGS && args.get(n).type() != ArgType.DONTCARE) {
            n++;
        }
        return n;
    }

    /**
     * What breaks check_func_proto's rules, if anything: a size must follow the memory it measures, memory of no
     * fixed size needs a size after it, the arguments are contiguous, a map key or value needs the map before it,
     * one map per call, and uninitialised memory is memory the helper writes.
     */
    public Optional<String> inconsistency() {
        boolean map = false;
        for (int n = 1; n <= MAX_ARGS; n++) {
            ArgSpec arg = arg(n);
            if (arg.isSize()) {
                ArgSpec memory = n > 1 ? arg(n - 1) : null;
                if (memory == null || memory.type() != ArgType.PTR_TO_MEM || memory.has(TypeFlag.MEM_FIXED_SIZE)) {
                    return Optional.of("argument " + n + " is a size without memory before it");
                }
            }
            if (arg.type() == ArgType.PTR_TO_MEM && !arg.has(TypeFlag.MEM_FIXED_SIZE)
                    && (n == MAX_ARGS || !arg(n + 1).isSize())) {
                return Optional.of("argument " + n + " is memory without a size after it");
            }
            if ((arg.type() == ArgType.PTR_TO_MAP_KEY || arg.type() == ArgType.PTR_TO_MAP_VALUE) && !map) {
                return Optional.of("argument " + n + " is a map key or value without the map before it");
            }
            if (arg.type() == ArgType.CONST_MAP_PTR) {
                if (map) {
                    return Optional.of("argument " + n + " is a second map");
                }
                map = true;
            }
            if (arg.has(TypeFlag.MEM_UNINIT) && !arg.has(TypeFlag.MEM_WRITE)) {
                return Optional.of("argument " + n + " is uninitialised memory that the helper does not write");
            }
            if (arg.type() == ArgType.DONTCARE && n < MAX_ARGS && arg(n + 1).type() != ArgType.DONTCARE) {
                return Optional.of("argument " + n + " is unused but argument " + (n + 1) + " is not");
            }
        }
        return Optional.empty();
    }
}
