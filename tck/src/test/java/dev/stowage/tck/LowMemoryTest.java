package dev.stowage.tck;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kit holds no object in memory: its large-object tests pass for a streaming store with a heap three times smaller
 * than the object, and the same check fails for a store that buffers objects (so it can fail).
 */
class LowMemoryTest {
    private static final String HEAP = "-Xmx48m";
    private static final String SIZE = "160MiB";

    private static Result runInSmallHeap(Class<?> contract) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, HEAP, "-XX:+UseSerialGC",
                "-D" + StoreContract.LARGE_OBJECT_SIZE_PROPERTY + "=" + SIZE,
                "-cp", System.getProperty("java.class.path"), LowMemoryRun.class.getName(), contract.getName()))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private record Result(int exit, String output) {
    }

    @Test
    void largeObjectsOfAStreamingStorePassInAHeapSmallerThanTheObject() throws Exception {
        Result result = runInSmallHeap(DirectoryStoreContractTest.class);
        System.out.println(result.output());
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("PASSED s1_largeObjectStreamsWithDeclaredSize",
                "PASSED s1_largeObjectStreamsWithUnknownSize");
    }

    @Test
    void aBufferingStoreRunsOutOfMemoryUnderTheSameCheck() throws Exception {
        Result result = runInSmallHeap(KitOutcomesTest.Reference.class);
        System.out.println(result.output());
        assertThat(result.exit()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("OutOfMemoryError");
    }
}
