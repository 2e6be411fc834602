package dev.stowage.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A real {@link FileChannel} that accepts {@code capacity} bytes of writes and then fails every further write with the
 * {@link IOException} the JDK raises for {@code ENOSPC} ("No space left on device"), like a full disk. Everything
 * else goes to the real channel, locks included.
 */
final class FailingFileChannel extends FileChannel {
    private final FileChannel delegate;
    private final long capacity;
    private final String error;
    private long accepted;

    FailingFileChannel(FileChannel delegate, long capacity, String error) {
        this.delegate = delegate;
        this.capacity = capacity;
        this.error = error;
    }

    private ByteBuffer limited(ByteBuffer source) throws IOException {
        long room = capacity - accepted;
        if (room <= 0) {
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
        throw new IOException("transferFrom is not used by the store");
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
