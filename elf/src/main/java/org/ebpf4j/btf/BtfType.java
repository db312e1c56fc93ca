package org.ebpf4j.btf;

import java.util.List;

/**
 * One BTF type: a record per kind of Linux's {@code btf.h}, so a {@code switch} over a type is checked for
 * exhaustiveness. Type ids are not part of the records: a type's id is its position in {@link Btf} (1-based; 0 is
 * void). Names are resolved from the string section; "" means anonymous. Sizes and offsets are the section's u32
 * values, held in a {@code long} so that none reads as negative.
 */
public sealed interface BtfType {

    BtfKind kind();

    /** The type's name, "" for anonymous types and for kinds that never carry one. */
    default String name() {
        return "";
    }

    /** Kinds whose only content is another type: CONST, VOLATILE, RESTRICT and TYPE_TAG. */
    sealed interface Qualifier extends BtfType {
        int type();
    }

    /** STRUCT and UNION. */
    sealed interface Composite extends BtfType {
        long size();

        List<Member> members();
    }

    /** ENUM and ENUM64. */
    sealed interface Enumeration extends BtfType {
        long size();

        boolean signed();

        List<EnumValue> values();
    }

    /** An integer of {@code bits} bits stored from bit {@code bitOffset} of a {@code size}-byte unit. */
    record Int(String name, long size, IntEncoding encoding, int bitOffset, int bits) implements BtfType {
        public BtfKind kind() {
            return BtfKind.INT;
        }
    }

    record Ptr(int type) implements BtfType {
        public BtfKind kind() {
            return BtfKind.PTR;
        }
    }

    record Array(int elementType, int indexType, long length) implements BtfType {
        public BtfKind kind() {
            return BtfKind.ARRAY;
        }
    }

    record Struct(String name, long size, List<Member> members) implements Composite {
        public Struct {
            members = List.copyOf(members);
        }

        public BtfKind kind() {
            return BtfKind.STRUCT;
        }
    }

    record Union(String name, long size, List<Member> members) implements Composite {
        public Union {
            members = List.copyOf(members);
        }

        public BtfKind kind() {
            return BtfKind.UNION;
        }
    }

    /** An enum of up to 32-bit values; a signed enum's values are sign-extended. */
    record Enum(String name, long size, boolean signed, List<EnumValue> values) implements Enumeration {
        public Enum {
            values = List.copyOf(values);
        }

        public BtfKind kind() {
            return BtfKind.ENUM;
        }
    }

    /** A forward declaration of a struct or (when {@code union}) a union. */
    record Fwd(String name, boolean union) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FWD;
        }
    }

    record Typedef(String name, int type) implements BtfType {
        public BtfKind kind() {
            return BtfKind.TYPEDEF;
        }
    }

    record Volatile(int type) implements Qualifier {
        public BtfKind kind() {
            return BtfKind.VOLATILE;
        }
    }

    record Const(int type) implements Qualifier {
        public BtfKind kind() {
            return BtfKind.CONST;
        }
    }

    record Restrict(int type) implements Qualifier {
        public BtfKind kind() {
            return BtfKind.RESTRICT;
        }
    }

    /** A function; {@code type} is its FUNC_PROTO. */
    record Func(String name, int type, Linkage linkage) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FUNC;
        }
    }

    /** A function signature; {@code returnType} 0 is void. A last parameter of type 0 without a name means "...". */
    record FuncProto(int returnType, List<Param> params) implements BtfType {
        public FuncProto {
            params = List.copyOf(params);
        }

        public BtfKind kind() {
            return BtfKind.FUNC_PROTO;
        }

        public boolean variadic() {
            return !params.isEmpty() && params.getLast().isVariadicMarker();
        }
    }

    record Var(String name, int type, Linkage linkage) implements BtfType {
        public BtfKind kind() {
            return BtfKind.VAR;
        }
    }

    /** A data section ({@code .data}, {@code .bss}, {@code .rodata}, {@code .maps}, ...) and the variables in it. */
    record Datasec(String name, long size, List<DatasecVar> vars) implements BtfType {
        public Datasec {
            vars = List.copyOf(vars);
        }

        public BtfKind kind() {
            return BtfKind.DATASEC;
        }
    }

    record Float(String name, long size) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FLOAT;
        }
    }

    /**
     * {@code btf_decl_tag} on {@code type}: on the type itself when {@code componentIndex} is -1, else on that member
     * or parameter. {@code attribute} is the kind_flag that newer kernels use for tags that are plain attributes.
     */
    record DeclTag(String name, int type, int componentIndex, boolean attribute) implements BtfType {
        public BtfKind kind() {
            return BtfKind.DECL_TAG;
        }
    }

    /** {@code btf_type_tag} on {@code type} (for example {@code __user}); kind_flag as for DECL_TAG. */
    record TypeTag(String name, int type, boolean attribute) implements Qualifier {
        public BtfKind kind() {
            return BtfKind.TYPE_TAG;
        }
    }

    record Enum64(String name, long size, boolean signed, List<EnumValue> values) implements Enumeration {
        public Enum64 {
            values = List.copyOf(values);
        }

        public BtfKind kind() {
            return BtfKind.ENUM64;
        }
    }
}
