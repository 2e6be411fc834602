package dev.stowage.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/** Counts the bytes read through it; optionally tells a listener the running count after each read. */
final class CountingInputStream extends FilterInputStream {
    private final LongConsumer onRead;
    private volatile long count;
    private volatile int skips;
    private volatile int resets;

    CountingInputStream(InputStream in) {
        this(in, total -> {
        });
    }

    CountingInputStream(InputStream in, LongConsumer onRead) {
        super(in);
        this.onRead = onRead;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            count++;
            onRead.accept(count);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            count += n;
            onRead.accept(count);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        skips++;
        return super.skip(n);
    }

    @Override
    public synchronized void reset() throws IOException {
        resets++;
        super.reset();
    }

    long count() {
        return count;
    }

    int skipsAndResets() {
        return skips + resets;
    }
}
