package org.ebpf4j.isa.text.ubpf;

/** An instruction line after the first pass: its form is known and its slot fixed, its labels not yet resolved. */
record Statement(SourceLine line, Form form, Operands operands, int slot) {}
