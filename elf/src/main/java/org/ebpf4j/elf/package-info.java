/** Reading ELF objects produced by clang for the BPF target: sections, symbols, relocations. */
package org.ebpf4j.elf;
