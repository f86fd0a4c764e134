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
        assertEquals("errno=3999", Errno.name(3999));
        assertEquals("errno=3999 (Unknown error 3999)", Errno.describe(3999));
    }

    /** The one table: libbpf's own codes (enum libbpf_errno) and -errno as libbpf returns it are named here too. */
    @Test
    void shouldNameLibbpfCodesAndNegativeValues() {
        assertEquals("LIBBPF_ERRNO__LIBELF", Errno.name(4000));
        assertEquals("LIBBPF_ERRNO__RELOC (libbpf error 4005)", Errno.describe(-4005));
        assertEquals("LIBBPF_ERRNO__NLPARSE", Errno.name(4013));
        assertEquals("errno=4014", Errno.name(4014));
        assertEquals("ENOENT (No such file or directory)", Errno.describe(-Errno.ENOENT));
        assertEquals("ENOSPC", Errno.name(Errno.ENOSPC));
        assertEquals("ECONNABORTED", Errno.name(Errno.ECONNABORTED));
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
