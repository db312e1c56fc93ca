package org.ebpf4j.verifier.walk;

/**
 * The kernel's env->id_gen: ids that link copies of one pointer (packet pointers moved by a variable amount) are
 * unique in the whole walk, so that what is proven for one value never reaches another.
 */
final class IdGenerator {
    private int last;

    int next() {
        return ++last;
    }
}
