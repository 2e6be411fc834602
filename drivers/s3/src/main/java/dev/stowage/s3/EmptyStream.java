package dev.stowage.s3;

import java.io.IOException;
import java.io.InputStream;

/** A read of zero bytes (an offset equal to the size); like every store stream it fails once closed. */
final class EmptyStream extends InputStream {
    private final String location;
    private boolean closed;

    EmptyStream(String location) {
        this.location = location;
    }

    @Override
    public int read() throws IOException {
        checkOpen();
        return -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
        checkOpen();
        java.util.Objects.checkFromIndexSize(offset, count, buffer.length);
        return count == 0 ? 0 : -1;
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("Cannot read " + location + ": the stream is closed");
        }
    }
}
