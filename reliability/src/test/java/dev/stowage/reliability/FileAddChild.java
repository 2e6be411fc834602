package dev.stowage.reliability;

import dev.stowage.api.AddResult;
import dev.stowage.api.Stores;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The child JVM of {@link FileKillTest}: opens a file store on a data directory, prints {@code READY}, adds one
 * image from a slow generated stream (deterministic bytes of a seed), prints {@code DONE <sha512>} and waits to be
 * killed. Arguments: data directory, image id, size, seed, fsync, pause in ms per 64 KiB.
 */
public final class FileAddChild {
    private FileAddChild() {
    }

    public static void main(String[] args) throws Exception {
        Path datadir = Path.of(args[0]);
        String id = args[1];
        long size = Long.parseLong(args[2]);
        long seed = Long.parseLong(args[3]);
        String fsync = args[4];
        long pause = Long.parseLong(args[5]);
        Map<String, String> configuration = Map.of("stowage.stores.local.type", "file",
                "stowage.stores.local.datadir", datadir.toString(), "stowage.stores.local.fsync", fsync);
        try (Stores stores = Stores.fromMap(configuration)) {
            System.out.println("READY");
            AddResult result = stores.add(id, new Generated(size, seed, pause), size);
            System.out.println("DONE " + result.multihash().hex());
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** {@code size} bytes of {@link #expected}'s sequence, {@code pause} ms after every 64 KiB. */
    static final class Generated extends InputStream {
        private final long size;
        private final long pause;
        private final SplittableRandom random;
        private long position;
        private long sincePause;

        Generated(long size, long seed, long pause) {
            this.size = size;
            this.pause = pause;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) random.nextInt(256);
            }
            position += n;
            sincePause += n;
            if (pause > 0 && sincePause >= (64 << 10)) {
                sincePause = 0;
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return n;
        }
    }

    /** The bytes {@link Generated} produces for {@code seed}. */
    static byte[] expected(int size, long seed) {
        byte[] data = new byte[size];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            data[i] = (byte) random.nextInt(256);
        }
        return data;
    }
}
