package dev.stowage.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A real {@link FileChannel} that accepts {@code capacity} bytes of writes and then fails every further write with an
 * {@link IOException} of the given message, as the JDK raises them for a full disk ({@code "No space left on device"})
 * or a failing one ({@code "Input/output error"}). Everything else goes to the real channel, locks included. Shared
 * with the reliability suites through this module's test-jar; subclasses count refusals or fail other calls.
 */
public class LimitedWritesChannel extends FileChannel {
    private final FileChannel delegate;
    private final long capacity;
    private final String error;
    private long accepted;

    public LimitedWritesChannel(FileChannel delegate, long capacity, String error) {
        this.delegate = delegate;
        this.capacity = capacity;
        this.error = error;
    }

    /** Called just before a write is refused. */
    protected void refusing() {
        // nothing to note by default
    }

    private ByteBuffer limited(ByteBuffer source) throws IOException {
        long room = capacity - accepted;
        if (room <= 0 && source.hasRemaining()) {
            refusing();
            throw new IOException(error);
        }
        if (source.remaining() <= room) {
            return source;
        }
        ByteBuffer part = source.duplicate();
        part.limit(part.position() + (int) room);
        return part;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        ByteBuffer part = limited(source);
        int n = delegate.write(part);
        if (part != source) {
            source.position(source.position() + n);
        }
        accepted += n;
        return n;
    }

    @Override
    public int write(ByteBuffer source, long position) throws IOException {
        ByteBuffer part = limited(source);
        int n = delegate.write(part, position);
        if (part != source) {
            source.position(source.position() + n);
        }
        accepted += n;
        return n;
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += write(sources[i]);
        }
        return total;
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
        return delegate.read(target);
    }

    @Override
    public long read(ByteBuffer[] targets, int offset, int length) throws IOException {
        return delegate.read(targets, offset, length);
    }

    @Override
    public int read(ByteBuffer target, long position) throws IOException {
        return delegate.read(target, position);
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        delegate.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        delegate.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel source, long position, long count) throws IOException {
        return delegate.transferFrom(source, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
