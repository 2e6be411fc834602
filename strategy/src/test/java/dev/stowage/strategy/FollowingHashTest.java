package dev.stowage.strategy;

import dev.stowage.api.HashAlgorithm;
import dev.stowage.api.Multihash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FollowingHashTest {
    @TempDir
    Path dir;

    @Test
    void hashesAFileAsItIsWrittenInPieces() throws IOException {
        byte[] data = new byte[20 * 1024 * 1024 + 123];
        new SplittableRandom(5).nextBytes(data);
        Path file = Files.createFile(dir.resolve("copy"));
        Multihash hash;
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE);
             FollowingHash following = FollowingHash.start(file, HashAlgorithm.SHA512, data.length)) {
            int piece = 3 * 1024 * 1024 + 7;
            for (int at = 0; at < data.length; at += piece) {
                out.write(ByteBuffer.wrap(data, at, Math.min(piece, data.length - at)));
                following.advance(Math.min(at + piece, data.length));
            }
            hash = following.await();
        }
        assertThat(hash).isEqualTo(Multihash.of(HashAlgorithm.SHA512, sha512(data)));
    }

    @Test
    void anEmptyFileHasTheHashOfNothing() throws IOException {
        Path file = Files.createFile(dir.resolve("empty"));
        try (FollowingHash following = FollowingHash.start(file, HashAlgorithm.SHA256, 0)) {
            assertThat(following.await().hex())
                    .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        }
    }

    @Test
    void aFileShorterThanItsWriterSaidFailsTheVerification() throws IOException {
        Path file = Files.write(dir.resolve("short"), new byte[1000]);
        try (FollowingHash following = FollowingHash.start(file, HashAlgorithm.SHA512, 2000)) {
            following.advance(2000); // the writer claims more than the file holds
            assertThatThrownBy(following::await).isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot read back " + file)
                    .hasMessageContaining("the file ended at byte 1000 of 2000 written");
        }
    }

    @Test
    void closingBeforeTheEndStopsTheThreadAndAwaitSaysSo() throws IOException {
        Path file = Files.write(dir.resolve("partial"), new byte[4096]);
        FollowingHash following = FollowingHash.start(file, HashAlgorithm.SHA512, 1 << 20);
        following.advance(4096);
        following.close(); // as after a failed transfer: the thread waiting for more is stopped and joined
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(thread -> thread.getName().equals("stowage-direct-hash"));
        assertThatThrownBy(following::await).isInstanceOf(IOException.class)
                .hasMessage("the verification of " + file + " stopped before the end");
    }

    private static byte[] sha512(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-512").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
