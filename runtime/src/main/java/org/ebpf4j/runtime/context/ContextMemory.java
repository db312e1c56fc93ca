package org.ebpf4j.runtime.context;

import java.util.Arrays;
import org.ebpf4j.runtime.memory.FieldMemory;
import org.ebpf4j.runtime.memory.LittleEndian;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.spec.context.ContextField;
import org.ebpf4j.spec.context.ContextLayout;
import org.ebpf4j.spec.context.FieldAccess;

/**
 * A program's context as memory: the struct's bytes in {@link #image()}, read and written under the program type's
 * {@link ContextLayout}. This is the kernel's ctx rewrite done at run time: a 4-byte load of {@code data},
 * {@code data_end} or {@code data_meta} gives the packet's 64-bit tagged pointer, where the kernel's verifier would
 * have rewritten the instruction into a pointer load. Without verifier facts the engine cannot know which loads
 * read the context, so the region itself answers; reads of fields the type may not see, writes to read-only fields,
 * other widths on the pointer fields and padding all fault, where the kernel's verifier would reject the program.
 */
public final class ContextMemory implements FieldMemory {
    /** The size of the packet pointer fields, whose loads the ctx rewrite turns into pointers. */
    private static final int PACKET_FIELD_SIZE = 4;
    private final ContextLayout layout;
    private final byte[] image;
    /** The field covering each byte (null for padding), so every access is one array load. */
    private final ContextField[] fieldAt;
    private long packetStart;
    private long packetEnd;
    private long packetMeta;
    /** The xdp_buff behind an xdp_md, for the helpers that move its bounds; null for other contexts. */
    private XdpFrame xdpFrame;
    /** Mapped into every run of a test run: made once, as its name costs a string concatenation. */
    private final Region region;
    /** Where the {@code data} and {@code data_end} fields are (-1 when the struct has none), for {@link #load}. */
    private final int startOffset;
    private final int endOffset;

    public ContextMemory(ContextLayout layout) {
        this.layout = layout;
        this.image = new byte[layout.size()];
        this.fieldAt = new ContextField[layout.size()];
        for (ContextField f : layout.fields()) {
            Arrays.fill(fieldAt, f.offset(), f.end(), f);
        }
        this.region = Region.computed("context " + layout.structName(), this, layout.size());
        this.startOffset = offsetOf(layout, FieldAccess.PACKET_START);
        this.endOffset = offsetOf(layout, FieldAccess.PACKET_END);
    }

    /** The offset of the 4-byte field with the given access, or -1. */
    private static int offsetOf(ContextLayout layout, FieldAccess access) {
        return layout.fields().stream().filter(f -> f.access() == access && f.size() == PACKET_FIELD_SIZE)
                .mapToInt(ContextField::offset).findFirst().orElse(-1);
    }

    public ContextLayout layout() {
        return layout;
    }

    /** The struct's bytes: test runs fill them before a run and read them after. */
    public byte[] image() {
        return image;
    }

    /** The pointers the packet fields read as (tagged pointers into the packet's region). */
    public void setPacket(long meta, long start, long end) {
        this.packetMeta = meta;
        this.packetStart = start;
        this.packetEnd = end;
    }

    /** The packet's first byte (a tagged pointer), as {@code data} reads. */
    public long packetStart() {
        return packetStart;
    }

    /** One past the packet's last byte, as {@code data_end} reads. */
    public long packetEnd() {
        return packetEnd;
    }

    public XdpFrame xdpFrame() {
        return xdpFrame;
    }

    void setXdpFrame(XdpFrame frame) {
        this.xdpFrame = frame;
    }

    /** The region over this context, to map into an invocation (the same region every time). */
    public Region region() {
        return region;
    }

    public void setU32(String field, long value) {
        LittleEndian.set(image, layout.field(field).offset(), 4, value);
    }

    public long u32(String field) {
        return LittleEndian.get(image, layout.field(field).offset(), 4);
    }

    @Override
    public long load(int offset, int size) {
        // data and data_end first: every packet program reads them, and these two compares are all they need.
        if (size == PACKET_FIELD_SIZE) {
            if (offset == startOffset) {
                return packetStart;
            }
            if (offset == endOffset) {
                return packetEnd;
            }
        }
        ContextField field = field(offset, size, false);
        return switch (field.access()) {
            case PACKET_START -> packetPointer(field, offset, size, packetStart);
            case PACKET_END -> packetPointer(field, offset, size, packetEnd);
            case PACKET_META -> packetPointer(field, offset, size, packetMeta);
            case READ, READ_WRITE -> LittleEndian.get(image, field.source(offset, size), size);
            case KERNEL_POINTER, NONE -> throw denied("read", field, offset, size);
        };
    }

    @Override
    public void store(int offset, int size, long value) {
        ContextField field = field(offset, size, true);
        if (!field.access().writable()) {
            throw denied("write", field, offset, size);
        }
        LittleEndian.set(image, offset, size, value);
    }

    private ContextField field(int offset, int size, boolean write) {
        ContextField field = fieldAt[offset];
        if (field == null || !field.covers(offset, size) || offset + size > image.length) {
            throw new MemoryAccessException((write ? "write" : "read") + " of " + size + " bytes at offset " + offset
                    + " of struct " + layout.structName() + " is not within one field");
        }
        return field;
    }

    private long packetPointer(ContextField field, int offset, int size, long pointer) {
        if (offset != field.offset() || size != field.size()) {
            throw denied("read", field, offset, size);
        }
        return pointer;
    }

    private MemoryAccessException denied(String what, ContextField field, int offset, int size) {
        FieldAccess access = field.access();
        return new MemoryAccessException(what + " of " + size + " bytes at offset " + offset + " of struct "
                + layout.structName() + " (" + field.name() + ", " + access.name().toLowerCase() + ") is not allowed");
    }
}
