package io.spawnwatch.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EpollTest {

    @Test
    void shouldReturnZeroWhenNothingIsReadyBeforeTheTimeout() throws NativeException {
        try (Epoll epoll = new Epoll("test", 4); EventFd event = new EventFd("test")) {
            epoll.add(event.fd(), Epoll.EPOLLIN, 7, "eventfd");

            assertEquals(0, epoll.await(10));
        }
    }

    @Test
    void shouldReportTheTokenOfASignalledEventFd() throws NativeException {
        try (Epoll epoll = new Epoll("test", 4); EventFd quiet = new EventFd("test");
             EventFd signalled = new EventFd("test")) {
            epoll.add(quiet.fd(), Epoll.EPOLLIN, 1, "quiet eventfd");
            epoll.add(signalled.fd(), Epoll.EPOLLIN, 0x1_0000_0002L, "signalled eventfd");

            signalled.signal();
            signalled.signal();

            assertEquals(1, epoll.await(1000));
            assertEquals(0x1_0000_0002L, epoll.token(0));
            assertEquals(Epoll.EPOLLIN, epoll.readyEvents(0));
            assertEquals(2, signalled.drain());
            assertEquals(0, signalled.drain());
            assertEquals(0, epoll.await(0));
        }
    }

    @Test
    void shouldNameTheTargetWhenAddingAnInvalidFd() throws NativeException {
        try (Epoll epoll = new Epoll("ring", 1)) {
            NativeException e = assertThrows(NativeException.class,
                    () -> epoll.add(1_000_000, Epoll.EPOLLIN, 1, "map fd=1000000"));

            assertEquals("ring: epoll_ctl ADD map fd=1000000 to epoll fd=" + epoll.fd()
                    + ": EBADF (Bad file descriptor)", e.getMessage());
        }
    }
}
