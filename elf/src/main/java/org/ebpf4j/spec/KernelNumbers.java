package org.ebpf4j.spec;

import java.util.Optional;

/**
 * Number-to-constant lookup for one {@link KernelEnum} family. Linux numbers these families densely from 0, so an
 * array indexed by number is both the fastest and the simplest index.
 */
final class KernelNumbers<E extends Enum<E> & KernelEnum> {

    private final String family;
    private final E[] byValue;

    /**
     * @param family what the numbers name, for messages ("BPF program type")
     * @param constants every constant of the family, each with a distinct non-negative number
     */
    @SuppressWarnings("unchecked")
    KernelNumbers(String family, E[] constants) {
        this.family = family;
        int max = -1;
        for (E constant : constants) {
            max = Math.max(max, constant.value());
        }
        byValue = (E[]) java.lang.reflect.Array.newInstance(constants.getClass().getComponentType(), max + 1);
        for (E constant : constants) {
            if (constant.value() < 0 || byValue[constant.value()] != null) {
                throw new IllegalStateException(family + " " + constant.value() + " defined twice or negative");
            }
            byValue[constant.value()] = constant;
        }
    }

    Optional<E> find(int value) {
        return value >= 0 && value < byValue.length ? Optional.ofNullable(byValue[value]) : Optional.empty();
    }

    E require(int value) {
        return find(value).orElseThrow(() -> new IllegalArgumentException(
                "unknown " + family + " " + value + " (this build knows 0.." + (byValue.length - 1)
                        + ", as of Linux 6.18)"));
    }
}
