package org.ebpf4j.btf;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.ebpf4j.isa.BpfException;
import org.junit.jupiter.api.Test;

/** Lookups, sizes, resolution and member search on the types fixture. */
class BtfQueryTest {
    private final Btf btf = Fixtures.btf("types", "el");

    private int id(String name, BtfKind kind) {
        return btf.typeId(name, kind).orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    @Test
    void typesByNameAndKind() {
        int node = id("node", BtfKind.STRUCT);
        assertInstanceOf(BtfType.Struct.class, btf.type(node));
        assertEquals("node", btf.type(node).name());
        assertEquals(List.of(), btf.typeIds("node", BtfKind.UNION));
        assertEquals(List.of(), btf.typeIds("no_such_type"));
        assertTrue(btf.typeId("opaque", BtfKind.FWD).isPresent());
        assertEquals(btf.typeIds("int"), btf.typeIds("int", BtfKind.INT));
    }

    @Test
    void sizesThroughTypedefsQualifiersAndArrays() {
        assertEquals(176, btf.sizeOf(id("node", BtfKind.STRUCT)));
        assertEquals(16, btf.sizeOf(id("bits", BtfKind.STRUCT)));
        assertEquals(8, btf.sizeOf(id("number", BtfKind.UNION)));
        assertEquals(4, btf.sizeOf(id("cv_counter_t", BtfKind.TYPEDEF)));
        assertEquals(1, btf.sizeOf(id("flags", BtfKind.ENUM)));
        assertEquals(8, btf.sizeOf(id("big", BtfKind.ENUM64)));
        assertEquals(8, btf.sizeOf(id("callback_t", BtfKind.TYPEDEF)));
        assertEquals(176, btf.sizeOf(id("global_node", BtfKind.VAR)));
        Member matrix = btf.member(id("node", BtfKind.STRUCT), "matrix").orElseThrow();
        assertEquals(48, btf.sizeOf(matrix.type()));
        Member tail = btf.member(id("node", BtfKind.STRUCT), "tail").orElseThrow();
        assertEquals(0, btf.sizeOf(tail.type()));
    }

    @Test
    void unsizedKindsSayWhy() {
        int fwd = id("opaque", BtfKind.FWD);
        assertEquals("BTF: type " + fwd + " (FWD 'opaque') has no size",
                assertThrows(BpfException.class, () -> btf.sizeOf(fwd)).getMessage());
        int func = id("prog", BtfKind.FUNC);
        assertEquals("BTF: type " + func + " (FUNC 'prog') has no size",
                assertThrows(BpfException.class, () -> btf.sizeOf(func)).getMessage());
        int payload = btf.member(id("node", BtfKind.STRUCT), "payload").orElseThrow().type();
        assertEquals(8, btf.sizeOf(payload), "a pointer to an incomplete type still has a size");
        assertEquals("BTF: type 0 (void) has no size",
                assertThrows(BpfException.class, () -> btf.sizeOf(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> btf.type(0));
        assertThrows(IllegalArgumentException.class, () -> btf.type(btf.lastTypeId() + 1));
    }

    @Test
    void resolveSkipsTypedefsAndQualifiers() {
        int uint = btf.resolve(id("cv_counter_t", BtfKind.TYPEDEF));
        assertEquals(new BtfType.Int("unsigned int", 4, IntEncoding.NONE, 0, 32), btf.type(uint));
        int uptr = btf.member(id("node", BtfKind.STRUCT), "uptr").orElseThrow().type();
        BtfType.Ptr ptr = assertInstanceOf(BtfType.Ptr.class, btf.type(uptr));
        BtfType.TypeTag tag = assertInstanceOf(BtfType.TypeTag.class, btf.type(ptr.type()));
        assertEquals("user", tag.name());
        assertEquals("int", btf.type(btf.resolve(ptr.type())).name());
    }

    @Test
    void membersWithBitfieldsAndAnonymousAggregates() {
        int bits = id("bits", BtfKind.STRUCT);
        assertEquals(new Member("b", id("int", BtfKind.INT), 3, 5), btf.member(bits, "b").orElseThrow());
        assertEquals(40, btf.member(bits, "c").orElseThrow().bitfieldSize());
        assertFalse(btf.member(bits, "d").orElseThrow().isBitfield());
        int node = id("node", BtfKind.STRUCT);
        // l and c live in an anonymous union at bit 1344
        assertEquals(1344, btf.member(node, "l").orElseThrow().bitOffset());
        assertEquals(1344, btf.member(node, "c").orElseThrow().bitOffset());
        assertTrue(btf.member(node, "x").isEmpty(), "x is inside a named member (anon is a named field)");
        assertTrue(btf.member(node, "missing").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> btf.member(id("int", BtfKind.INT), "x"));
    }

    @Test
    void everyKindIsPresentInTheFixture() {
        var kinds = btf.types().stream().map(BtfType::kind).collect(java.util.stream.Collectors.toSet());
        assertEquals(java.util.EnumSet.allOf(BtfKind.class), java.util.EnumSet.copyOf(kinds));
    }

    @Test
    void enumsSignedAndWide() {
        BtfType.Enum color = assertInstanceOf(BtfType.Enum.class, btf.type(id("color", BtfKind.ENUM)));
        assertTrue(color.signed());
        assertEquals(new EnumValue("BLUE", -3), color.values().get(2));
        BtfType.Enum64 big = assertInstanceOf(BtfType.Enum64.class, btf.type(id("big", BtfKind.ENUM64)));
        assertFalse(big.signed());
        assertEquals(-1L, big.values().get(2).value(), "0xffffffffffffffff, read unsigned");
        BtfType.Enum64 sbig = assertInstanceOf(BtfType.Enum64.class, btf.type(id("sbig", BtfKind.ENUM64)));
        assertEquals(-0x1_0000_0000L, sbig.values().get(0).value());
    }

    @Test
    void functionsAndDeclTags() {
        BtfType.Func helper = assertInstanceOf(BtfType.Func.class, btf.type(id("helper", BtfKind.FUNC)));
        assertEquals(Linkage.STATIC, helper.linkage());
        BtfType.FuncProto proto = assertInstanceOf(BtfType.FuncProto.class, btf.type(helper.type()));
        assertEquals(List.of("x", "n"), proto.params().stream().map(Param::name).toList());
        assertFalse(proto.variadic());
        int callback = btf.resolve(id("callback_t", BtfKind.TYPEDEF));
        BtfType.Ptr pointer = assertInstanceOf(BtfType.Ptr.class, btf.type(callback));
        assertTrue(assertInstanceOf(BtfType.FuncProto.class, btf.type(pointer.type())).variadic());
        BtfType.DeclTag paramTag = assertInstanceOf(BtfType.DeclTag.class,
                btf.type(id("param_tag", BtfKind.DECL_TAG)));
        assertEquals(0, paramTag.componentIndex());
        assertEquals(Linkage.EXTERN, ((BtfType.Func) btf.type(id("bpf_extern_fn", BtfKind.FUNC))).linkage());
    }
}
