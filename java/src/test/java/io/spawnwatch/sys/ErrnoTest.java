package io.spawnwatch.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ErrnoTest {

    @Test
    void shouldNameCommonErrnoValues() {
        assertEquals("EPERM", Errno.name(1));
        assertEquals("EBADF", Errno.name(9));
        assertEquals("EAGAIN", Errno.name(11));
        assertEquals("EINVAL", Errno.name(22));
        assertEquals("E2BIG", Errno.name(7));
        assertEquals("ENOTSUPP", Errno.name(524));
    }

    @Test
    void shouldDescribeWithNameAndStrerrorText() {
        assertEquals("EPERM (Operation not permitted)", Errno.describe(Errno.EPERM));
    }

    @Test
    void shouldFallBackToTheNumberForUnknownValues() {
        assertEquals("errno=4000", Errno.name(4000));
        assertEquals("errno=4000 (Unknown error 4000)", Errno.describe(4000));
    }

    @Test
    void shouldTurnANegativeLibbpfResultIntoAnException() throws NativeException {
        assertEquals(3, NativeException.check(3, "libbpf: never thrown"));

        NativeException e = assertThrows(NativeException.class,
                () -> NativeException.check(-Errno.ENOENT, "bpf: open object spawnwatch.bpf.o"));

        assertEquals("bpf: open object spawnwatch.bpf.o: ENOENT (No such file or directory)", e.getMessage());
        assertEquals("ENOENT", e.errnoName());
    }
}
