package org.ebpf4j.btf.core;

/**
 * What one side (the object's BTF or a target's) says a relocation's value is.
 *
 * @param value the number the instruction carries
 * @param checkable whether the instruction must already hold the local value: false where clang and libbpf may
 *     legitimately disagree (bitfield offsets and sizes, type ids that linking renumbers)
 * @param memorySize for FIELD_BYTE_OFFSET of a whole (non-bitfield) field, the field's size in bytes, which a load
 *     or store of it must use; 0 otherwise
 * @param memoryTypeId the field's type (typedefs and qualifiers skipped) when {@code memorySize} is set, else 0
 */
record RelocatedValue(long value, boolean checkable, int memorySize, int memoryTypeId) {
    static RelocatedValue of(long value) {
        return new RelocatedValue(value, true, 0, 0);
    }

    static RelocatedValue unchecked(long value) {
        return new RelocatedValue(value, false, 0, 0);
    }
}
