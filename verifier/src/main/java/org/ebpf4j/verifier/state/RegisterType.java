package org.ebpf4j.verifier.state;

import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.verifier.scalar.Scalar;

/**
 * What the verifier knows about one register (the kernel's {@code struct bpf_reg_state}, by {@code type}).
 *
 * <p>Pointers carry a fixed offset {@code off} (the kernel's reg->off: constants added to the pointer) and, where
 * the kernel allows variable offsets, a scalar {@code varOff} (its var_off and bounds). Every type the kernel has
 * is declared, so that exhaustive switches show what each rule still lacks; the walk rejects what would produce
 * a type it does not model yet as unsupported.
 */
public sealed interface RegisterType {

    /** The kernel's name for the type, as reg_type_str prints it in messages ("scalar", "fp", "ctx", ...). */
    String kernelName();

    default boolean isPointer() {
        return !(this instanceof NotInit) && !(this instanceof ScalarValue);
    }

    /** NOT_INIT: never written on this path; reading it is "R%d !read_ok". */
    record NotInit() implements RegisterType {
        public static final NotInit INSTANCE = new NotInit();

        @Override
        public String kernelName() {
            return "?";
        }
    }

    /**
     * SCALAR_VALUE: a number, with the scalar domain's knowledge of it. Copies of one number (64-bit moves, spills
     * and fills) share a nonzero {@code id}, so that a comparison refining one refines them all (the kernel's
     * sync_linked_regs); any other write makes a number with id 0.
     */
    record ScalarValue(Scalar value, int id) implements RegisterType {
        public ScalarValue(Scalar value) {
            this(value, 0);
        }

        public static ScalarValue unknown() {
            return new ScalarValue(Scalar.unknown());
        }

        public static ScalarValue constant(long v) {
            return new ScalarValue(Scalar.constant(v));
        }

        @Override
        public String kernelName() {
            return "scalar";
        }
    }

    /** PTR_TO_CTX: the program's context (r1 at entry). */
    record PtrToCtx(int off) implements RegisterType {
        @Override
        public String kernelName() {
            return "ctx";
        }
    }

    /** PTR_TO_STACK: into the stack of call frame {@code frame}; offsets are negative from the frame pointer. */
    record PtrToStack(int frame, int off, Scalar varOff) implements RegisterType {
        public static PtrToStack framePointer(int frame) {
            return new PtrToStack(frame, 0, Scalar.constant(0));
        }

        @Override
        public String kernelName() {
            return "fp";
        }
    }

    /** CONST_PTR_TO_MAP: a map handle from lddw (map by fd or index), or a map-in-map lookup's inner map. */
    record ConstPtrToMap(MapSpec map) implements RegisterType {
        @Override
        public String kernelName() {
            return "map_ptr";
        }
    }

    /**
     * PTR_TO_MAP_VALUE(_OR_NULL): into a map element's value, {@code off} plus {@code varOff} bytes from its start
     * (or NULL until checked: copies share the {@code id} that a null check resolves for all of them).
     */
    record PtrToMapValue(MapSpec map, int off, Scalar varOff, boolean orNull, int id) implements RegisterType {
        /** A pointer to the start of a value. */
        public static PtrToMapValue start(MapSpec map, boolean orNull, int id) {
            return new PtrToMapValue(map, 0, Scalar.constant(0), orNull, id);
        }

        @Override
        public String kernelName() {
            return orNull ? "map_value_or_null" : "map_value";
        }
    }

    /** PTR_TO_MAP_KEY: a map key, in callbacks. */
    record PtrToMapKey(MapSpec map, int off, Scalar varOff) implements RegisterType {
        @Override
        public String kernelName() {
            return "map_key";
        }
    }

    /**
     * The two pointers into packet bytes (type_is_pkt_pointer): {@code range} bytes from the pointer's base (before
     * {@code off}) are proven readable, shared by every copy with the same {@code id}.
     */
    sealed interface PacketPointer extends RegisterType {
        int off();

        Scalar varOff();

        int range();

        int id();

        /** The same pointer with another fixed offset and range. */
        PacketPointer with(int newOff, int newRange);

        /** This pointer moved by a variable amount: a new identity, with no range proven for it yet. */
        PacketPointer withVariable(Scalar newVarOff, int newId);
    }

    /** PTR_TO_PACKET: packet data, readable up to {@code range} bytes proven by a comparison with pkt_end. */
    record PtrToPacket(int off, Scalar varOff, int range, int id) implements PacketPointer {
        @Override
        public PtrToPacket with(int newOff, int newRange) {
            return new PtrToPacket(newOff, varOff, newRange, id);
        }

        @Override
        public PtrToPacket withVariable(Scalar newVarOff, int newId) {
            return new PtrToPacket(off, newVarOff, 0, newId);
        }

        @Override
        public String kernelName() {
            return "pkt";
        }
    }

    /** PTR_TO_PACKET_META: the packet's metadata area, readable up to a range proven by a comparison with data. */
    record PtrToPacketMeta(int off, Scalar varOff, int range, int id) implements PacketPointer {
        @Override
        public PtrToPacketMeta with(int newOff, int newRange) {
            return new PtrToPacketMeta(newOff, varOff, newRange, id);
        }

        @Override
        public PtrToPacketMeta withVariable(Scalar newVarOff, int newId) {
            return new PtrToPacketMeta(off, newVarOff, 0, newId);
        }

        @Override
        public String kernelName() {
            return "pkt_meta";
        }
    }

    /** PTR_TO_PACKET_END: one past the packet's last byte; only compared, never dereferenced. */
    record PtrToPacketEnd() implements RegisterType {
        @Override
        public String kernelName() {
            return "pkt_end";
        }
    }

    /**
     * PTR_TO_MEM(_OR_NULL): {@code size} bytes of memory, such as a ring-buffer record ({@code ringbuf}, the
     * kernel's MEM_RINGBUF), whose reference {@code refObjId} the program must release.
     */
    record PtrToMem(int size, int off, Scalar varOff, boolean orNull, int id, boolean ringbuf, int refObjId)
            implements RegisterType {
        /** The same memory, known not to be NULL: the id has done its work, the reference stays. */
        public PtrToMem withoutNull() {
            return new PtrToMem(size, off, varOff, false, 0, ringbuf, refObjId);
        }

        @Override
        public String kernelName() {
            return (ringbuf ? "ringbuf_mem" : "mem") + (orNull ? "_or_null" : "");
        }
    }

    /** PTR_TO_FUNC: the address of static subprogram {@code subprog} (an lddw with src_reg 4), for callbacks. */
    record PtrToFunc(int subprog) implements RegisterType {
        @Override
        public String kernelName() {
            return "func";
        }
    }

    /** PTR_TO_FLOW_KEYS: the flow dissector's keys. */
    record PtrToFlowKeys(int off) implements RegisterType {
        @Override
        public String kernelName() {
            return "flow_keys";
        }
    }
}
