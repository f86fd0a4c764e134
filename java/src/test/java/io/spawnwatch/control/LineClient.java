package io.spawnwatch.control;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A raw line client for tests: sends bytes, reads lines with a timeout (a reader thread fills a queue). */
final class LineClient implements AutoCloseable {
    private static final String EOF = "\u0000EOF";

    private final SocketChannel channel;
    private final OutputStream out;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    LineClient(Path socket) throws IOException {
        this(socket, true);
    }

    /** With {@code read=false} nobody reads the socket: a stuck client. */
    LineClient(Path socket, boolean read) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        out = Channels.newOutputStream(channel);
        reader = Thread.ofPlatform().daemon().unstarted(this::readLoop);
        if (read) {
            reader.start();
        }
    }

    private void readLoop() {
        try (InputStream in = new BufferedInputStream(Channels.newInputStream(channel))) {
            ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    lines.add(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(c);
                }
            }
        } catch (IOException e) {
            // Closed.
        }
        lines.add(EOF);
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void sendLine(String line) throws IOException {
        send(line + "\n");
    }

    /** Half-close, as `echo ... | socat` does after its input ends. */
    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /** The next line, failing the test after 5 s. */
    String readLine() throws InterruptedException {
        String l = lines.poll(5, TimeUnit.SECONDS);
        if (l == null) {
            throw new AssertionError("no line from the server within 5 s");
        }
        return EOF.equals(l) ? null : l;
    }

    /** The next line or null when none comes within {@code millis}. */
    String pollLine(long millis) throws InterruptedException {
        String l = lines.poll(millis, TimeUnit.MILLISECONDS);
        return EOF.equals(l) ? null : l;
    }

    /** Sends a request and returns the next line. */
    /** Waits up to {@code timeout} for a line to be there (readLine itself waits 5 s). */
    void awaitLine(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lines.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    String call(String request) throws IOException, InterruptedException {
        sendLine(request);
        return readLine();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
