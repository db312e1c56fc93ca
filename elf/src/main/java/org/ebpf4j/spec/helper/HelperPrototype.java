package org.ebpf4j.spec.helper;

import java.util.List;
import java.util.Objects;
import org.ebpf4j.spec.HelperFunction;

/**
 * A helper's prototype (the kernel's {@code struct bpf_func_proto}): what each of r1-r5 must hold, what r0 holds
 * after the call, whether only GPL-compatible programs may call it and whether it accepts packet pointers.
 *
 * @param helper the helper
 * @param gplOnly only programs whose license is GPL-compatible may call it
 * @param packetAccess packet pointers may be passed as memory arguments ({@code pkt_access})
 * @param mightSleep only sleepable programs may call it ({@code might_sleep})
 * @param returns what r0 holds after the call
 * @param args r1 to r5, {@link ArgType#DONTCARE} from the first unused one on (always five)
 */
public record HelperPrototype(HelperFunction helper, boolean gplOnly, boolean packetAccess, boolean mightSleep,
                              ReturnSpec returns, List<ArgSpec> args) {
    /** Helpers take at most five arguments, in r1-r5. */
    public static final int MAX_ARGS = 5;

    private static final ArgSpec UNUSED = ArgSpec.of(ArgType.DONTCARE);

    public HelperPrototype {
        Objects.requireNonNull(helper);
        Objects.requireNonNull(returns);
        if (args.size() > MAX_ARGS) {
            throw new IllegalArgumentException(helper.kernelName() + ": more than five arguments");
        }
        ArgSpec[] padded = new ArgSpec[MAX_ARGS];
        for (int i = 0; i < MAX_ARGS; i++) {
            padded[i] = i < args.size() ? args.get(i) : UNUSED;
        }
        args = List.of(padded);
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
}
