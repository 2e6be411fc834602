package dev.stowage.file;

import dev.stowage.api.StoreIOException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * The bytes {@code [offset, offset + length)} of a file, read with positional {@link FileChannel} reads of at most
 * one chunk each (so the JDK's temporary direct buffers stay small whatever array the caller passes). Closing closes
 * the channel; closing twice is harmless; reading after close throws. A read that fails, and a file that ends early
 * (truncated while being read), is a {@link StoreIOException} naming the location and the byte reached, as with the
 * other drivers, never a silently short result. Not thread-safe (one reader).
 */
final class FileRangeInputStream extends InputStream {
    private final FileChannel channel;
    private final long end;
    private final URI uri;
    private final int maxRead;
    private long position;
    private boolean closed;

    FileRangeInputStream(FileChannel channel, long offset, long length, URI uri, int maxRead) {
        this.channel = channel;
        this.position = offset;
        this.end = offset + length;
        this.uri = uri;
        this.maxRead = maxRead;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        checkOpen();
        if (length == 0) {
            return 0;
        }
        if (position >= end) {
            return -1;
        }
        int want = (int) Math.min(Math.min(length, maxRead), end - position);
        int n;
        try {
            n = channel.read(ByteBuffer.wrap(buffer, offset, want), position);
        } catch (ClosedByInterruptException e) {
            throw new StoreIOException("Cannot read " + uri + ": interrupted at byte " + position, e);
        } catch (IOException e) {
            throw new StoreIOException("Cannot read " + uri + " at byte " + position + ": " + e, e);
        }
        if (n < 0) {
            throw new StoreIOException("Cannot read " + uri + ": the file ended at byte " + position + ", expected "
                    + end + " (was it truncated while being read?)");
        }
        position += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        checkOpen();
        if (n <= 0) {
            return 0;
        }
        long skipped = Math.min(n, end - position);
        position += skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        checkOpen();
        return (int) Math.min(end - position, Integer.MAX_VALUE);
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
            throw new IOException("Cannot read " + uri + ": the stream is closed");
        }
    }
}
