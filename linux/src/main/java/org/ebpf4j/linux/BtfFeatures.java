package org.ebpf4j.linux;

import java.util.List;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.btf.BtfWriter;
import org.ebpf4j.btf.DatasecVar;
import org.ebpf4j.btf.EnumValue;
import org.ebpf4j.btf.IntEncoding;
import org.ebpf4j.btf.Linkage;

/**
 * Which BTF kinds the running kernel accepts, each learnt as libbpf learns it: by loading the smallest BTF that
 * uses it. Kernels from 5.18 on accept them all; older ones need {@link BtfSanitizer} to rewrite what they lack.
 *
 * @param btf any BTF at all ({@code BPF_BTF_LOAD}, 4.18)
 * @param func FUNC and FUNC_PROTO (5.0)
 * @param globalFunc FUNC with global linkage (5.6)
 * @param datasec VAR and DATASEC (5.2)
 * @param qmarkDatasec a DATASEC whose name starts with '?'
 * @param floats FLOAT (5.13)
 * @param declTag DECL_TAG (5.16)
 * @param typeTag TYPE_TAG (5.17)
 * @param enum64 ENUM64 and signed ENUM (6.0)
 */
record BtfFeatures(boolean btf, boolean func, boolean globalFunc, boolean datasec, boolean qmarkDatasec,
                   boolean floats, boolean declTag, boolean typeTag, boolean enum64) {

    /** Every feature: what a kernel of the last five years has. */
    static final BtfFeatures ALL = new BtfFeatures(true, true, true, true, true, true, true, true, true);

    private static final BtfType INT = new BtfType.Int("int", 4, IntEncoding.SIGNED, 0, 32);

    /** The running kernel's, probed once per process. */
    static BtfFeatures running() {
        return Probed.FEATURES;
    }

    private static final class Probed {
        static final BtfFeatures FEATURES = probe();
    }

    private static BtfFeatures probe() {
        BtfType proto = new BtfType.FuncProto(0, List.of());
        return new BtfFeatures(
                accepts(INT),
                accepts(INT, proto, new BtfType.Func("a", 2, Linkage.STATIC)),
                accepts(INT, proto, new BtfType.Func("a", 2, Linkage.GLOBAL)),
                accepts(INT, new BtfType.Var("x", 1, Linkage.STATIC),
                        new BtfType.Datasec("s", 4, List.of(new DatasecVar(2, 0, 4)))),
                accepts(INT, new BtfType.Var("x", 1, Linkage.STATIC),
                        new BtfType.Datasec("?.data", 4, List.of(new DatasecVar(2, 0, 4)))),
                accepts(new BtfType.Float("float", 4)),
                accepts(INT, new BtfType.Var("x", 1, Linkage.STATIC), new BtfType.DeclTag("tag", 2, -1, false)),
                accepts(INT, new BtfType.TypeTag("tag", 1, false), new BtfType.Ptr(2)),
                accepts(new BtfType.Enum64("e", 8, false, List.of(new EnumValue("v", 1L << 40)))));
    }

    private static boolean accepts(BtfType... types) {
        byte[] blob = new BtfWriter(java.nio.ByteOrder.nativeOrder()).write(List.of(types));
        if (BtfCommands.load(blob) instanceof BtfCommands.Answer.Loaded loaded) {
            loaded.btf().close();
            return true;
        }
        return false;
    }
}
