package dev.stowage.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.stowage.file.TestStores.entries;
import static org.assertj.core.api.Assertions.assertThat;

/** Temp files left by crashed adds are swept when a store opens; temp files of live writers are kept. */
class StaleTempFilesTest {
    @TempDir
    Path dir;

    @Test
    void staleTempFilesAreRemovedAtStartUpAndObjectsAreKept() throws Exception {
        Files.write(dir.resolve(".stowage-tmp-image-1-0123456789abcdef"), new byte[4096]);
        Files.write(dir.resolve(".stowage-tmp-image-2-fedcba9876543210"), new byte[0]);
        Files.write(dir.resolve(".stowage-tmp-probe-00112233aabbccdd-link"), new byte[2]);
        Files.write(dir.resolve("image-3"), new byte[] {1, 2, 3});
        Files.createDirectory(dir.resolve(".stowage-tmp-not-a-file"));

        try (FileStore store = TestStores.open(dir)) {
            assertThat(entries(dir)).containsExactly(".stowage-tmp-not-a-file", "image-3");
            assertThat(store.size(store.location(FileStore.uri(dir.toRealPath().resolve("image-3"))))).isEqualTo(3);
        }
    }

    @Test
    void aTempFileLockedByAnotherProcessIsLeftAlone() throws Exception {
        Path live = Files.write(dir.resolve(".stowage-tmp-image-9-aaaaaaaaaaaaaaaa"), new byte[100]);
        Files.write(dir.resolve(".stowage-tmp-image-8-bbbbbbbbbbbbbbbb"), new byte[100]);
        Path locker = Files.writeString(dir.resolve("Locker.java"), """
                import java.nio.channels.FileChannel;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                public class Locker {
                    public static void main(String[] args) throws Exception {
                        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE);
                             var lock = channel.lock()) {
                            System.out.println("locked");
                            System.out.flush();
                            System.in.read(); // hold the lock until the test closes our stdin
                        }
                    }
                }
                """);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, locker.toString(), live.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");

            try (FileStore store = TestStores.open(dir)) {
                assertThat(entries(dir)).containsExactly(".stowage-tmp-image-9-aaaaaaaaaaaaaaaa", "Locker.java");
            }
        } finally {
            process.getOutputStream().close();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        // once the other process is gone, the next start removes it
        try (FileStore store = TestStores.open(dir)) {
            assertThat(entries(dir)).isEqualTo(List.of("Locker.java"));
        }
    }
}
