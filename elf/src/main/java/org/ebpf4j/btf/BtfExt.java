package org.ebpf4j.btf;

import java.util.List;
import java.util.function.Function;

/**
 * The {@code .BTF.ext} section of an object file: func_info, line_info and CO-RE relocation records, grouped in the
 * section by the code section they describe and flattened here with that section's name in each record. Names,
 * file names, source lines and access strings are strings of the object's {@code .BTF}, and type ids are its
 * types, so parsing needs that {@link Btf}.
 *
 * <p>Instruction offsets are kept as the section holds them: bytes from the start of the code section (clang
 * writes byte offsets in objects; the kernel's load-time records count instructions).
 */
public final class BtfExt {
    private final BtfExtHeader header;
    private final List<FuncInfo> funcInfos;
    private final List<LineInfo> lineInfos;
    private final List<CoreRelo> coreRelos;

    private BtfExt(BtfExtHeader header, List<FuncInfo> funcInfos, List<LineInfo> lineInfos,
            List<CoreRelo> coreRelos) {
        this.header = header;
        this.funcInfos = funcInfos;
        this.lineInfos = lineInfos;
        this.coreRelos = coreRelos;
    }

    /**
     * Parses {@code section} against the object's BTF, in the byte order its magic tells.
     *
     * @throws BtfFormatException naming the subsection, code section, record and byte offset (from the start of
     *     {@code section}) of the first thing that is wrong
     */
    public static BtfExt parse(byte[] section, Btf btf) {
        byte[] data = section.clone();
        BtfExtHeader header = BtfExtHeader.read(data);
        BtfExtReader reader = new BtfExtReader(new SectionBytes(data, header.order()), btf, header.headerLength());
        return new BtfExt(header,
                reader.funcInfos(header.funcInfoOffset(), header.funcInfoLength()),
                reader.lineInfos(header.lineInfoOffset(), header.lineInfoLength()),
                reader.coreRelos(header.coreReloOffset(), header.coreReloLength()));
    }

    public BtfExtHeader header() {
        return header;
    }

    public List<FuncInfo> funcInfos() {
        return funcInfos;
    }

    public List<LineInfo> lineInfos() {
        return lineInfos;
    }

    public List<CoreRelo> coreRelos() {
        return coreRelos;
    }

    /** The func_info records of one code section, in section order. */
    public List<FuncInfo> funcInfos(String section) {
        return inSection(funcInfos, FuncInfo::section, section);
    }

    public List<LineInfo> lineInfos(String section) {
        return inSection(lineInfos, LineInfo::section, section);
    }

    public List<CoreRelo> coreRelos(String section) {
        return inSection(coreRelos, CoreRelo::section, section);
    }

    private static <T> List<T> inSection(List<T> records, Function<T, String> sectionOf, String section) {
        return records.stream().filter(record -> sectionOf.apply(record).equals(section)).toList();
    }
}
