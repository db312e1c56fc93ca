package org.ebpf4j.elf;

/**
 * Where a symbol is defined: st_shndx, with the reserved indices as their own cases. {@code SHN_XINDEX} is rejected
 * when reading (it needs an SHT_SYMTAB_SHNDX table, which BPF objects never have).
 */
public sealed interface SymbolSection {
    /** SHN_UNDEF: an extern (.kconfig variables, kfuncs, functions of another object). */
    record Undefined() implements SymbolSection {}

    /** SHN_ABS: the value is absolute (FILE symbols). */
    record Absolute() implements SymbolSection {}

    /** SHN_COMMON: a tentative definition not yet allocated (clang emits them only with -fcommon). */
    record Common() implements SymbolSection {}

    /** Defined in the section with this header index. */
    record Index(int index) implements SymbolSection {}

    int SHN_UNDEF = 0;
    int SHN_LORESERVE = 0xff00;
    int SHN_ABS = 0xfff1;
    int SHN_COMMON = 0xfff2;
    int SHN_XINDEX = 0xffff;
}
