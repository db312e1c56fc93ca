package org.ebpf4j.runtime.context;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.spec.Errno;

/**
 * The {@code struct xdp_buff} behind an {@code xdp_md}: one page whose offsets are data_hard_start (0),
 * {@code data_meta}, {@code data} and {@code data_end}, plus the fragments of a multi-buffer frame. The head, tail
 * and metadata helpers move the offsets with the kernel's limits (net/core/filter.c); each move maps the new
 * window as a fresh region, so that the context's pointers bound it and old packet pointers, which the kernel's
 * verifier invalidates, no longer reach the new bytes. The invocation's packet follows every move: LD_ABS,
 * helpers that read the packet and the JIT's direct packet accesses find the current window there.
 */
public final class XdpFrame {
    /** frame_sz of a test run's buffer: one page. */
    public static final int FRAME_SIZE = 4096;
    /** SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) on x86-64: the tailroom xdp_data_hard_end keeps. */
    public static final int TAILROOM = 320;
    /** sizeof(struct xdp_frame) on x86-64: the start of the headroom that metadata and data may not use. */
    public static final int XDP_FRAME = 40;
    /** type_max(skb_shared_info.meta_len): xdp_metalen_invalid's limit since Linux 6.15. */
    public static final int MAX_METADATA = 255;
    /** Fragments are pages too (the loopback queue's frag_size). */
    public static final int FRAGMENT_SIZE = 4096;
    private static final int ETH_HLEN = 14;

    private final byte[] frame = new byte[FRAME_SIZE];
    private final List<byte[]> fragments = new ArrayList<>();
    private final List<Integer> fragmentSizes = new ArrayList<>();
    private int meta;
    private int data;
    private int end;
    private ContextMemory context;
    private Invocation invocation;
    /** The region over the current window; replaced by every move, reused by the runs in between. */
    private Region window;
    /** Whether a move has mapped a new window since {@link #map}. */
    private boolean moved;

    /**
     * A frame holding {@code bytes} from {@code data - metadata}: {@code metadata} bytes of metadata, then
     * {@code linear} bytes of packet from offset {@code data}; the rest of {@code bytes} becomes page-sized fragments.
     */
    public XdpFrame(byte[] bytes, int data, int metadata, int linear) {
        this.meta = data - metadata;
        this.data = data;
        this.end = data + linear;
        System.arraycopy(bytes, 0, frame, meta, metadata + linear);
        for (int at = metadata + linear; at < bytes.length; at += FRAGMENT_SIZE) {
            int size = Math.min(FRAGMENT_SIZE, bytes.length - at);
            byte[] page = new byte[FRAGMENT_SIZE];
            System.arraycopy(bytes, at, page, 0, size);
            fragments.add(page);
            fragmentSizes.add(size);
        }
    }

    /**
     * Maps the frame's current window into {@code invocation}'s memory and points {@code context}'s packet fields
     * and the invocation's packet at it.
     */
    public void map(Invocation invocation, ContextMemory context) {
        this.invocation = invocation;
        this.context = context;
        context.setXdpFrame(this);
        if (window == null) {
            window = new Region("xdp packet", frame, meta, end - meta, true);
        }
        moved = false;
        point();
    }

    /**
     * Whether a head, tail or metadata move has mapped a new window since {@link #map}: until then, the mapping and
     * the context's packet pointers that {@code map} made still describe the frame.
     */
    public boolean movedSinceMapped() {
        return moved;
    }

    /** After a move: a new region for the new window, so that pointers into the old one stop at its bounds. */
    private void remap() {
        window = new Region("xdp packet", frame, meta, end - meta, true);
        moved = true;
        point();
    }

    private void point() {
        long pointer = invocation.map(window);
        context.setPacket(pointer, pointer + (data - meta), pointer + (end - meta));
        invocation.setPacket(context.packetStart());
    }

    public int metadataLength() {
        return data - meta;
    }

    public int linearLength() {
        return end - data;
    }

    /** Metadata, linear data and fragments: what a test run gives back. */
    public byte[] bytes() {
        int fragmentBytes = fragmentSizes.stream().mapToInt(Integer::intValue).sum();
        byte[] out = Arrays.copyOfRange(frame, meta, end + fragmentBytes);
        int at = end - meta;
        for (int i = 0; i < fragments.size(); i++) {
            System.arraycopy(fragments.get(i), 0, out, at, fragmentSizes.get(i));
            at += fragmentSizes.get(i);
        }
        return out;
    }

    /** bpf_xdp_adjust_head: 0, or -EINVAL when data would enter the xdp_frame and metadata or leave no Ethernet header. */
    public long adjustHead(int offset) {
        int metadata = data - meta;
        int newData = data + offset;
        if (newData < XDP_FRAME + metadata || newData > end - ETH_HLEN) {
            return -Errno.EINVAL.value();
        }
        if (metadata != 0) {
            System.arraycopy(frame, meta, frame, meta + offset, metadata);
        }
        meta += offset;
        data = newData;
        remap();
        return 0;
    }

    /**
     * bpf_xdp_adjust_meta: 0; -EINVAL when data_meta would enter the xdp_frame or pass data; -EACCES for metadata
     * that is not a multiple of 4 or over {@link #MAX_METADATA} bytes.
     */
    public long adjustMeta(int offset) {
        int newMeta = meta + offset;
        if (newMeta < XDP_FRAME || newMeta > data) {
            return -Errno.EINVAL.value();
        }
        int metadata = data - newMeta;
        if (metadata % 4 != 0 || metadata > MAX_METADATA) {
            return -Errno.EACCES.value();
        }
        meta = newMeta;
        remap();
        return 0;
    }

    /** bpf_xdp_adjust_tail: the linear part's end, or the fragments' when there are any. */
    public long adjustTail(int offset) {
        if (!fragments.isEmpty()) {
            return offset < 0 ? shrinkFragments(-(long) offset) : growLastFragment(offset);
        }
        int newEnd = end + offset;
        if (newEnd > FRAME_SIZE - TAILROOM || newEnd < data + ETH_HLEN) {
            return -Errno.EINVAL.value();
        }
        if (offset > 0) {
            Arrays.fill(frame, end, newEnd, (byte) 0);
        }
        end = newEnd;
        remap();
        return 0;
    }

    /** bpf_xdp_frags_shrink_tail: fragments give up bytes from the last one; emptied ones are released. */
    private long shrinkFragments(long offset) {
        long length = end - data + fragmentSizes.stream().mapToLong(Integer::longValue).sum();
        if (offset > length - ETH_HLEN) {
            return -Errno.EINVAL.value();
        }
        while (!fragments.isEmpty() && offset > 0) {
            int last = fragments.size() - 1;
            int size = fragmentSizes.get(last);
            int shrink = (int) Math.min(offset, size);
            offset -= shrink;
            if (shrink == size) {
                fragments.remove(last);
                fragmentSizes.remove(last);
            } else {
                fragmentSizes.set(last, size - shrink);
                break;
            }
        }
        if (fragments.isEmpty() && offset > 0) {
            end -= (int) offset;
            remap();
        }
        return 0;
    }

    /** bpf_xdp_frags_increase_tail: the last fragment grows into its page, zeroed. */
    private long growLastFragment(int offset) {
        int last = fragments.size() - 1;
        int size = fragmentSizes.get(last);
        if (offset > FRAGMENT_SIZE - size) {
            return -Errno.EINVAL.value();
        }
        Arrays.fill(fragments.get(last), size, size + offset, (byte) 0);
        fragmentSizes.set(last, size + offset);
        return 0;
    }
}
