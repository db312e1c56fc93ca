/**
 * Reading ELF objects produced by clang for the BPF target: sections, symbols, relocations.
 *
 * <p>{@link org.ebpf4j.elf.ElfFile#read} accepts relocatable ELF64 objects (ET_REL) for EM_BPF in either byte order
 * and validates every offset, size, index and string before use; bad input is always an
 * {@link org.ebpf4j.elf.ElfFormatException} naming the file, the section and the offset. Decisions: linked images
 * (ET_EXEC, ET_DYN) are rejected because the loader needs the relocations; SHT_RELA is rejected because BPF objects
 * keep addends in the instructions (SHT_REL); relocation types are checked when used, so an unknown type in a debug
 * section does not stop a load.
 */
package org.ebpf4j.elf;
