package org.ebpf4j.btf.core;

/**
 * Several target types may carry a local type's essential name (flavours, or two kernel structs of one name); CO-RE
 * accepts that only when they all lead to the same place and value, since nothing says which one the program meant.
 */
final class Ambiguity {
    private Ambiguity() {
    }

    static void check(AccessSpec first, RelocatedValue firstValue, AccessSpec other, RelocatedValue otherValue) {
        if (first.bitOffset() != other.bitOffset()) {
            throw new RelocationFailure("ambiguous candidates: " + first.btf().describe(first.rootTypeId())
                    + " puts the field at bit " + first.bitOffset() + ", " + other.btf().describe(other.rootTypeId())
                    + " at bit " + other.bitOffset());
        }
        if (firstValue.value() != otherValue.value()) {
            throw new RelocationFailure("ambiguous candidates: " + first.btf().describe(first.rootTypeId())
                    + " gives " + firstValue.value() + ", " + other.btf().describe(other.rootTypeId()) + " gives "
                    + otherValue.value());
        }
    }
}
