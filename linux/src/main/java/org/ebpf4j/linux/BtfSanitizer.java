package org.ebpf4j.linux;

import java.util.ArrayList;
import java.util.List;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.btf.DatasecVar;
import org.ebpf4j.btf.EnumValue;
import org.ebpf4j.btf.IntEncoding;
import org.ebpf4j.btf.Linkage;
import org.ebpf4j.btf.Member;

/**
 * libbpf's rewrite of an object's BTF for a kernel that lacks some kinds ({@link BtfFeatures}): each unknown type
 * becomes one the kernel knows, of the same size where anything can depend on it, so that every type id stays
 * where it was (map and program records refer to them):
 * VAR and DECL_TAG become a 1-byte INT, DATASEC a STRUCT of its variables (name with '.' and '?' as '_'),
 * FUNC_PROTO an ENUM of its parameters and FUNC a TYPEDEF, a global FUNC a static one, FLOAT an anonymous empty
 * STRUCT of its size, TYPE_TAG a CONST, ENUM64 a UNION of 1-byte INTs (a placeholder type added at the end) and a
 * signed ENUM unsigned.
 */
final class BtfSanitizer {
    private BtfSanitizer() {}

    static List<BtfType> sanitize(Btf btf, BtfFeatures has) {
        List<BtfType> types = new ArrayList<>(btf.types());
        int enum64Placeholder = 0;
        for (int i = 0; i < types.size(); i++) {
            BtfType t = types.get(i);
            BtfType replacement = switch (t) {
                case BtfType.Var v when !has.datasec() -> byte1(v.name());
                case BtfType.DeclTag d when !has.declTag() -> byte1(d.name());
                case BtfType.Datasec d when !has.datasec() -> datasecAsStruct(btf, d);
                case BtfType.Datasec d when !has.qmarkDatasec() && d.name().startsWith("?") ->
                        new BtfType.Datasec("_" + d.name().substring(1), d.size(), d.vars());
                case BtfType.FuncProto p when !has.func() -> new BtfType.Enum("", 4, false,
                        p.params().stream().map(x -> new EnumValue(x.name(), x.type())).toList());
                case BtfType.Func f when !has.func() -> new BtfType.Typedef(f.name(), f.type());
                case BtfType.Func f when !has.globalFunc() && f.linkage() == Linkage.GLOBAL ->
                        new BtfType.Func(f.name(), f.type(), Linkage.STATIC);
                case BtfType.Float f when !has.floats() -> new BtfType.Struct("", f.size(), List.of());
                case BtfType.TypeTag tag when !has.typeTag() -> new BtfType.Const(tag.type());
                case BtfType.Enum e when !has.enum64() && e.signed() ->
                        new BtfType.Enum(e.name(), e.size(), false, e.values().stream()
                                .map(v -> new EnumValue(v.name(), v.value() & 0xffff_ffffL)).toList());
                case BtfType.Enum64 e when !has.enum64() -> {
                    if (enum64Placeholder == 0) {
                        types.add(new BtfType.Int("enum64_placeholder", 1, IntEncoding.NONE, 0, 8));
                        enum64Placeholder = types.size();
                    }
                    int member = enum64Placeholder;
                    yield new BtfType.Union(e.name(), e.size(),
                            e.values().stream().map(v -> new Member(v.name(), member, 0, 0)).toList());
                }
                default -> t;
            };
            types.set(i, replacement);
        }
        return types;
    }

    /** What libbpf puts in place of a VAR or a DECL_TAG: an INT of one byte, too small to break any size check. */
    private static BtfType byte1(String name) {
        return new BtfType.Int(name, 1, IntEncoding.NONE, 0, 8);
    }

    private static BtfType datasecAsStruct(Btf btf, BtfType.Datasec d) {
        List<Member> members = new ArrayList<>();
        for (DatasecVar v : d.vars()) {
            members.add(new Member(btf.type(v.type()).name(), v.type(), v.offset() * 8, 0));
        }
        return new BtfType.Struct(d.name().replace('.', '_').replace('?', '_'), d.size(), members);
    }
}
