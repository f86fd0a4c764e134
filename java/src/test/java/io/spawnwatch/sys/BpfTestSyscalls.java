package io.spawnwatch.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Just enough of the bpf(2) syscall for kernel tests of the ring reader,
 * without libbpf or a compiled object: create a ring buffer map, load a
 * hand-assembled socket filter that calls bpf_ringbuf_output(), and run it with
 * BPF_PROG_TEST_RUN to fill the ring from the kernel side.
 */
public final class BpfTestSyscalls {
    private static final long SYS_BPF = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 321;
        case "aarch64" -> 280;
        default -> throw new IllegalStateException("test: no bpf syscall number for os.arch="
                + System.getProperty("os.arch"));
    };
    private static final int BPF_MAP_CREATE = 0;
    private static final int BPF_PROG_LOAD = 5;
    private static final int BPF_PROG_TEST_RUN = 10;
    private static final int BPF_MAP_TYPE_RINGBUF = 27;
    private static final int BPF_PROG_TYPE_SOCKET_FILTER = 1;
    private static final int BPF_FUNC_RINGBUF_OUTPUT = 130;
    private static final int ATTR_SIZE = 128;

    /** The 12 bytes each run of the program writes to the ring. */
    public static final byte[] PAYLOAD = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder())
            .putInt(0x11223344).putInt(0x55667788).putInt(0x99aabbcc).array();

    private static final MethodHandle SYSCALL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().findOrThrow("syscall"),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));

    private BpfTestSyscalls() {}

    /** BPF_MAP_CREATE of a BPF_MAP_TYPE_RINGBUF with {@code dataSize} bytes; returns its fd. */
    public static int createRingBuffer(int dataSize) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(ValueLayout.JAVA_INT, 0, BPF_MAP_TYPE_RINGBUF);
            attr.set(ValueLayout.JAVA_INT, 12, dataSize);
            return bpf(BPF_MAP_CREATE, attr, "test: create ringbuf map dataSize=" + dataSize);
        }
    }

    /** Loads {@code bpf_ringbuf_output(map, PAYLOAD, 12, 0); return 0;} as a socket filter. */
    public static int loadRingbufOutputProgram(int mapFd) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment insns = program(arena, mapFd);
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(ValueLayout.JAVA_INT, 0, BPF_PROG_TYPE_SOCKET_FILTER);
            attr.set(ValueLayout.JAVA_INT, 4, (int) (insns.byteSize() / 8));
            attr.set(ValueLayout.JAVA_LONG, 8, insns.address());
            attr.set(ValueLayout.JAVA_LONG, 16, arena.allocateFrom("GPL").address());
            return bpf(BPF_PROG_LOAD, attr, "test: load ringbuf output program for map fd=" + mapFd);
        }
    }

    /** Runs the program {@code repeat} times in the kernel (BPF_PROG_TEST_RUN on a dummy packet). */
    public static void run(int progFd, int repeat) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment packet = arena.allocate(64, 8);
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(ValueLayout.JAVA_INT, 0, progFd);
            attr.set(ValueLayout.JAVA_INT, 8, (int) packet.byteSize());
            attr.set(ValueLayout.JAVA_LONG, 16, packet.address());
            attr.set(ValueLayout.JAVA_INT, 32, repeat);
            bpf(BPF_PROG_TEST_RUN, attr, "test: run program fd=" + progFd + " repeat=" + repeat);
        }
    }

    private static MemorySegment program(Arena arena, int mapFd) {
        ByteBuffer code = ByteBuffer.allocate(11 * 8).order(ByteOrder.LITTLE_ENDIAN);
        insn(code, 0x62, 10, 0, -16, 0x11223344);           // *(u32 *)(r10 - 16) = ...
        insn(code, 0x62, 10, 0, -12, 0x55667788);           // *(u32 *)(r10 - 12) = ...
        insn(code, 0x62, 10, 0, -8, 0x99aabbcc);            // *(u32 *)(r10 - 8) = ...
        insn(code, 0x18, 1, 1, 0, mapFd);                   // r1 = map (ld_imm64, BPF_PSEUDO_MAP_FD)
        insn(code, 0x00, 0, 0, 0, 0);
        insn(code, 0xbf, 2, 10, 0, 0);                      // r2 = r10
        insn(code, 0x07, 2, 0, 0, -16);                     // r2 += -16
        insn(code, 0xb7, 3, 0, 0, PAYLOAD.length);          // r3 = 12
        insn(code, 0xb7, 4, 0, 0, 0);                       // r4 = 0 (flags)
        insn(code, 0x85, 0, 0, 0, BPF_FUNC_RINGBUF_OUTPUT); // call bpf_ringbuf_output
        insn(code, 0x95, 0, 0, 0, 0);                       // exit (r0: the helper's result, ignored)
        MemorySegment insns = arena.allocate(code.capacity(), 8);
        MemorySegment.copy(code.array(), 0, insns, ValueLayout.JAVA_BYTE, 0, code.capacity());
        return insns;
    }

    private static void insn(ByteBuffer code, int opcode, int dst, int src, int off, int imm) {
        code.put((byte) opcode).put((byte) (src << 4 | dst)).putShort((short) off).putInt(imm);
    }

    private static int bpf(int command, MemorySegment attr, String context) throws NativeException {
        MemorySegment state = LibC.callState();
        long result;
        try {
            result = (long) SYSCALL.invokeExact(state, SYS_BPF, command, attr, (int) attr.byteSize());
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
        if (result < 0) {
            throw new NativeException(context, LibC.errno(state));
        }
        return (int) result;
    }
}
