package dev.stowage.s3;

import dev.stowage.api.SizeMismatchException;
import software.amazon.awssdk.core.exception.NonRetryableException;
import software.amazon.awssdk.http.ContentStreamProvider;

import java.io.IOException;
import java.io.InputStream;

import static java.util.Objects.requireNonNull;

/**
 * The body of a streaming single PUT of known size: the caller's data, sent once (it cannot be replayed, so the SDK
 * must not retry it). It delivers exactly {@code length} bytes and, before it hands over the last of them, makes sure
 * the data has nothing more: a longer or shorter source fails the request before the server has the whole body, so
 * S3 stores nothing (rules S3, S4). The failure of the source itself is kept, so the store reports it rather than the
 * SDK's view of it.
 */
final class OneShotBody implements ContentStreamProvider {
    private final InputStream source;
    private final long length;
    private final String location;
    private boolean opened;
    private volatile Exception sourceFailure;

    OneShotBody(InputStream source, long length, String location) {
        this.source = requireNonNull(source, "source is null");
        this.length = length;
        this.location = requireNonNull(location, "location is null");
    }

    @Override
    public synchronized InputStream newStream() {
        if (opened) {
            throw NonRetryableException.builder()
                    .message("Cannot add " + location + ": the data cannot be sent twice, so the request is not retried")
                    .build();
        }
        opened = true;
        return new Body();
    }

    /** What went wrong with the caller's data (a size error or its I/O failure), if anything. */
    Exception sourceFailure() {
        return sourceFailure;
    }

    private final class Body extends InputStream {
        private long position;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int count) throws IOException {
            if (count == 0) {
                return 0;
            }
            if (position >= length) {
                return -1;
            }
            try {
                int n = source.read(buffer, offset, (int) Math.min(count, length - position));
                if (n < 0) {
                    throw new SizeMismatchException("Cannot add " + location + ": the data ended after " + position
                            + " bytes, the declared size is " + length);
                }
                position += n;
                if (position == length && source.read() >= 0) {
                    throw new SizeMismatchException("Cannot add " + location
                            + ": the data is longer than the declared size " + length);
                }
                return n;
            } catch (IOException | RuntimeException e) {
                if (sourceFailure == null) {
                    sourceFailure = e;
                }
                throw new IOException("Cannot add " + location + ": reading the data failed", e);
            }
        }

        @Override
        public int available() {
            return 0;
        }
    }
}
