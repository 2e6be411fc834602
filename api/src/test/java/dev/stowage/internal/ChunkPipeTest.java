package dev.stowage.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class ChunkPipeTest {

    private static ChunkPipe.Chunk chunk(int... bytes) {
        byte[] data = new byte[bytes.length + 3]; // longer than the slice: only [0, length) is delivered
        for (int i = 0; i < bytes.length; i++) {
            data[i] = (byte) bytes[i];
        }
        return new ChunkPipe.Chunk(data, bytes.length);
    }

    @Test
    void deliversTheChunksInOrderThenTheEnd() throws Exception {
        ChunkPipe pipe = new ChunkPipe(2);
        assertThat(pipe.put(chunk(1, 2))).isTrue();
        assertThat(pipe.put(chunk(3))).isTrue();
        pipe.end();
        InputStream in = pipe.source();
        assertThat(in.read()).isEqualTo(1);
        assertThat(in.available()).isEqualTo(1);
        assertThat(in.readAllBytes()).containsExactly(2, 3);
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.read(new byte[4], 0, 0)).isZero();
        assertThat(pipe.highWater()).isEqualTo(2);
    }

    @Test
    void aFullPipeBlocksTheProducerUntilTheConsumerReads() throws Exception {
        ChunkPipe pipe = new ChunkPipe(1);
        pipe.put(chunk(1));
        CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return pipe.put(chunk(2));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(blocked).isNotDone();
        Thread.sleep(50);
        assertThat(blocked).as("still waiting for room").isNotDone();
        assertThat(pipe.source().read()).isEqualTo(1);
        assertThat(blocked.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pipe.highWater()).isEqualTo(1);
    }

    @Test
    void detachingReleasesABlockedProducerAndDropsLaterChunks() throws Exception {
        ChunkPipe pipe = new ChunkPipe(1);
        pipe.put(chunk(1));
        CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return pipe.put(chunk(2));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        pipe.detach();
        assertThat(blocked.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(pipe.accepting()).isFalse();
        assertThat(pipe.put(chunk(3))).isFalse();
        assertThatThrownBy(() -> pipe.source().read()).isInstanceOf(IOException.class)
                .hasMessage("the pipe was detached");
    }

    @Test
    void failingWakesAWaitingConsumerWithTheCause() throws Exception {
        ChunkPipe pipe = new ChunkPipe(4);
        pipe.put(chunk(9));
        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                InputStream in = pipe.source();
                in.read();
                in.read();
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        Thread.sleep(20);
        IOException cause = new IOException("input broke");
        pipe.fail(cause);
        pipe.fail(new IOException("second failure is ignored"));
        assertThat(reader.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class).hasMessage("input broke")
                .hasCause(cause);
        assertThat(pipe.failed()).isTrue();
        assertThat(pipe.put(chunk(1))).isFalse();
    }

    @Test
    void badArguments() {
        assertThatThrownBy(() -> new ChunkPipe(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be at least 1: 0");
        assertThatThrownBy(() -> new ChunkPipe.Chunk(new byte[2], 3)).isInstanceOf(IndexOutOfBoundsException.class);
        ChunkPipe pipe = new ChunkPipe(1);
        pipe.end();
        assertThatThrownBy(() -> pipe.put(chunk(1))).isInstanceOf(IllegalStateException.class)
                .hasMessage("put after end");
    }
}
