package org.ebpf4j.spec;

/**
 * A constant that Linux defines with a number and a name: a program type, an attach type, a map type, a helper.
 * The number is what crosses the {@code bpf()} boundary and what clang writes into objects; the name is how the
 * kernel's headers and messages spell it, so that our messages read like the kernel's.
 */
public interface KernelEnum {

    /** The number Linux uses for this constant. */
    int value();

    /** The name Linux uses for this constant, e.g. {@code BPF_PROG_TYPE_XDP} or {@code bpf_map_lookup_elem}. */
    String kernelName();
}
