package org.ebpf4j.elf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.btf.BtfWriter;
import org.ebpf4j.btf.DatasecVar;
import org.ebpf4j.btf.Linkage;
import org.ebpf4j.spec.KconfigExtern;

/**
 * What libbpf does to an object's BTF when it opens it: clang leaves every DATASEC with size 0 and its variables at
 * offset 0, which the kernel refuses. The size becomes the ELF section's, each variable's offset its symbol's value
 * (and a hidden or internal global is static, since nothing outside the object can see it), variables sorted by
 * offset. {@code .kconfig} externs are placed where the loader laid them out and become allocated globals: the
 * backend fills their values. Sections without an ELF counterpart ({@code .ksyms}) are left as clang wrote them.
 */
final class DatasecLayout {
    private static final String KCONFIG = ".kconfig";

    private DatasecLayout() {}

    static Optional<Btf> apply(ElfFile elf, Optional<Btf> btf, List<KconfigExtern> kconfig, int kconfigSize) {
        return btf.map(b -> apply(elf, b, kconfig, kconfigSize));
    }

    private static Btf apply(ElfFile elf, Btf btf, List<KconfigExtern> kconfig, int kconfigSize) {
        List<BtfType> types = new ArrayList<>(btf.types());
        boolean changed = false;
        for (int id = 1; id <= btf.lastTypeId(); id++) {
            if (!(btf.type(id) instanceof BtfType.Datasec datasec)) {
                continue;
            }
            BtfType.Datasec laidOut = datasec.name().equals(KCONFIG)
                    ? kconfig(btf, datasec, types, kconfig, kconfigSize)
                    : elf.section(datasec.name()).map(s -> section(elf, s, btf, datasec, types)).orElse(datasec);
            if (!laidOut.equals(datasec)) {
                types.set(id - 1, laidOut);
                changed = true;
            }
        }
        return changed ? Btf.parse(new BtfWriter(btf.order()).write(types)) : btf;
    }

    private static BtfType.Datasec section(ElfFile elf, Section section, Btf btf, BtfType.Datasec datasec,
                                           List<BtfType> types) {
        Map<String, Symbol> symbols = elf.symbolsIn(section).stream()
                .filter(s -> !s.name().isEmpty())
                .collect(Collectors.toMap(Symbol::name, Function.identity(), (a, b) -> a));
        List<DatasecVar> vars = new ArrayList<>();
        for (DatasecVar v : datasec.vars()) {
            DatasecVar placed = v;
            if (btf.type(v.type()) instanceof BtfType.Var var && symbols.containsKey(var.name())) {
                Symbol symbol = symbols.get(var.name());
                placed = new DatasecVar(v.type(), symbol.value(), v.size());
                if (symbol.visibility() == SymbolVisibility.HIDDEN
                        || symbol.visibility() == SymbolVisibility.INTERNAL) {
                    types.set(v.type() - 1, new BtfType.Var(var.name(), var.type(), Linkage.STATIC));
                }
            }
            vars.add(placed);
        }
        vars.sort(Comparator.comparingLong(DatasecVar::offset));
        return new BtfType.Datasec(datasec.name(), section.size(), vars);
    }

    private static BtfType.Datasec kconfig(Btf btf, BtfType.Datasec datasec, List<BtfType> types,
                                           List<KconfigExtern> kconfig, int kconfigSize) {
        Map<String, KconfigExtern> byName = kconfig.stream()
                .collect(Collectors.toMap(KconfigExtern::name, Function.identity()));
        List<DatasecVar> vars = new ArrayList<>();
        for (DatasecVar v : datasec.vars()) {
            DatasecVar placed = v;
            if (btf.type(v.type()) instanceof BtfType.Var var && byName.containsKey(var.name())) {
                placed = new DatasecVar(v.type(), byName.get(var.name()).offset(), v.size());
                types.set(v.type() - 1, new BtfType.Var(var.name(), var.type(), Linkage.GLOBAL));
            }
            vars.add(placed);
        }
        vars.sort(Comparator.comparingLong(DatasecVar::offset));
        return new BtfType.Datasec(datasec.name(), kconfigSize, vars);
    }
}
