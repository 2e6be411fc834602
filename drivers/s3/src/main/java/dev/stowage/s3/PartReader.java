package dev.stowage.s3;

import java.io.IOException;
import java.io.InputStream;

import static java.util.Objects.requireNonNull;

/**
 * Reads the caller's data part by part, with one byte of look-ahead so the writer knows whether a full part is the
 * last one before it decides between a single PUT and a multipart upload.
 */
final class PartReader {
    private final InputStream in;
    private int pending = -1;
    private boolean ended;

    PartReader(InputStream in) {
        this.in = requireNonNull(in, "in is null");
    }

    /**
     * Fills {@code buffer[offset, limit)} as far as the data goes and returns the number of bytes read; fewer than
     * asked only at the end of the data.
     */
    int fill(byte[] buffer, int offset, int limit) throws IOException {
        int position = offset;
        if (pending >= 0 && position < limit) {
            buffer[position++] = (byte) pending;
            pending = -1;
        }
        while (position < limit && !ended) {
            int n = in.read(buffer, position, limit - position);
            if (n < 0) {
                ended = true;
            } else {
                position += n;
            }
        }
        return position - offset;
    }

    /** Whether the data has no more bytes (reads one byte ahead when it does not know yet). */
    boolean atEnd() throws IOException {
        if (pending >= 0) {
            return false;
        }
        if (ended) {
            return true;
        }
        int b = in.read();
        if (b < 0) {
            ended = true;
            return true;
        }
        pending = b;
        return false;
    }
}
