package org.ebpf4j.runtime.jit;

import static java.lang.constant.ConstantDescs.*;
import static org.ebpf4j.runtime.jit.MethodEmitter.*;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.List;

/**
 * The methods around the chunks of a split subprogram: its entry {@code f<slot>}, which moves the registers into a
 * {@link JitFrame} and back, and a tree of dispatchers that run chunk after chunk until one exits. A dispatcher of
 * level 1 switches over up to 256 chunks, one of level 2 over up to 256 dispatchers of level 1; each loops while
 * the next entry id is its own, so a jump between neighbouring chunks costs one return and one call.
 */
final class SplitEmitter {
    static final int FAN_OUT_BITS = 8;
    private final ProgramMethods methods;

    SplitEmitter(ProgramMethods methods) {
        this.methods = methods;
    }

    static String dispatcherName(int start, int level, int prefix) {
        return "d" + start + "_" + level + "_" + prefix;
    }

    /** The level of the root dispatcher for this many chunks. */
    static int rootLevel(int chunks) {
        int level = 1;
        while (chunks > 1 << (FAN_OUT_BITS * level)) {
            level++;
        }
        return level;
    }

    /** How many children the dispatcher at {@code level} with {@code prefix} has. */
    static int children(int chunks, int level, int prefix) {
        int span = 1 << (FAN_OUT_BITS * (level - 1));
        int first = prefix << FAN_OUT_BITS;
        int total = (chunks + span - 1) / span;
        return Math.min(1 << FAN_OUT_BITS, total - first);
    }

    /** {@code long f<start>(JitRun, int depth, long r0, ..., long r9)} of a split subprogram. */
    void emitEntry(CodeBuilder code, ClassDesc owner, int start, SplitPlan plan) {
        int frame = MEMORY;
        code.new_(CD_FRAME).dup().invokespecial(CD_FRAME, INIT_NAME, MTD_void).astore(frame);
        for (int r = 0; r <= 9; r++) {
            code.aload(frame).lload(reg(r)).putfield(CD_FRAME, "r" + r, CD_long);
        }
        code.aload(frame).iload(DEPTH)
                .invokestatic(CD_INVOCATION, "framePointer", MethodTypeDesc.of(CD_long, CD_int))
                .putfield(CD_FRAME, "r10", CD_long);
        code.aload(RUN).iload(DEPTH).aload(frame).loadConstant((ConstantDesc) plan.entryId(start));
        methods.invoke(code, owner, dispatcherName(start, rootLevel(plan.chunks().size()), 0), CHUNK_TYPE);
        code.pop();
        for (int r = 1; r <= 5; r++) {
            code.aload(RUN).aload(frame).getfield(CD_FRAME, "r" + r, CD_long).putfield(CD_RUN, "r" + r, CD_long);
        }
        code.aload(frame).getfield(CD_FRAME, "r0", CD_long).lreturn();
    }

    /**
     * {@code int d<start>_<level>_<prefix>(JitRun, int depth, JitFrame, int entry)}: runs its chunks and returns the
     * first entry id not its own.
     */
    void emitDispatcher(CodeBuilder code, ClassDesc owner, int start, int chunks, int level, int prefix) {
        int next = 3;
        Label loop = code.newLabel();
        Label out = code.newLabel();
        int count = children(chunks, level, prefix);
        List<SwitchCase> cases = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Label label = code.newLabel();
            labels.add(label);
            cases.add(SwitchCase.of(i, label));
        }
        code.labelBinding(loop).iload(next).iflt(out);
        if (level < rootLevel(chunks)) {
            // Only the root covers every chunk; the others give back entries outside their subtree.
            code.iload(next).loadConstant((ConstantDesc) (16 + FAN_OUT_BITS * level)).iushr()
                    .loadConstant((ConstantDesc) prefix).if_icmpne(out);
        }
        code.iload(next).loadConstant((ConstantDesc) (16 + FAN_OUT_BITS * (level - 1))).iushr()
                .loadConstant((ConstantDesc) ((1 << FAN_OUT_BITS) - 1)).iand()
                .tableswitch(0, count - 1, out, cases);
        for (int i = 0; i < count; i++) {
            int child = (prefix << FAN_OUT_BITS) + i;
            String name = level == 1 ? chunkName(start, child) : dispatcherName(start, level - 1, child);
            code.labelBinding(labels.get(i)).aload(RUN).iload(DEPTH).aload(2).iload(next);
            methods.invoke(code, owner, name, CHUNK_TYPE);
            code.istore(next).goto_(loop);
        }
        code.labelBinding(out).iload(next).ireturn();
    }
}
