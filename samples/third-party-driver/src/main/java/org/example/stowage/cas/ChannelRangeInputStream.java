package org.example.stowage.cas;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads {@code length} bytes of an open file from its current position. Owns the channel: {@link #close()} closes it,
 * twice is harmless, and a read after close throws.
 */
final class ChannelRangeInputStream extends InputStream {
    private final FileChannel channel;
    private final String location;
    private long remaining;
    private boolean closed;

    ChannelRangeInputStream(FileChannel channel, long length, String location) {
        this.channel = channel;
        this.remaining = length;
        this.location = location;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        checkOpen();
        java.util.Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        if (remaining == 0) {
            return -1;
        }
        int n = channel.read(ByteBuffer.wrap(buffer, offset, (int) Math.min(length, remaining)));
        if (n < 0) {
            throw new IOException("Cannot read " + location + ": the object ended " + remaining
                    + " bytes early");
        }
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        checkOpen();
        long skipped = Math.max(0, Math.min(n, remaining));
        channel.position(channel.position() + skipped);
        remaining -= skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        checkOpen();
        return (int) Math.min(remaining, Integer.MAX_VALUE);
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            channel.close();
        }
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("Cannot read " + location + ": the stream is closed");
        }
    }
}
