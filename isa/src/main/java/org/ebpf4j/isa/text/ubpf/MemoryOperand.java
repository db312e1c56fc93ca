package org.ebpf4j.isa.text.ubpf;

/** {@code [%rN+off]}: a base register and a signed 16-bit offset. */
record MemoryOperand(int register, int offset) {}
