package dev.stowage.tck;

import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Limits for the store contract and the rules a driver declares it deviates from. A declared deviation is a strict
 * expected failure: the test fails once the driver no longer deviates.
 *
 * @param largeObjectSize  size of the large streamed object (default 64 MiB)
 * @param chunkSize        the driver's chunk or part size; round trips try chunk-1, chunk and chunk+1
 * @param threads          threads for race and concurrency tests
 * @param knownDeviations  test method names expected to fail, each with a reason
 */
public record ContractSettings(long largeObjectSize, int chunkSize, int threads, Set<KnownDeviation> knownDeviations) {
    public ContractSettings {
        requireNonNull(knownDeviations, "knownDeviations is null");
        if (largeObjectSize < 1) {
            throw new IllegalArgumentException("largeObjectSize must be positive: " + largeObjectSize);
        }
        if (chunkSize < 2) {
            throw new IllegalArgumentException("chunkSize must be at least 2: " + chunkSize);
        }
        if (threads < 2) {
            throw new IllegalArgumentException("threads must be at least 2: " + threads);
        }
        knownDeviations = Set.copyOf(knownDeviations);
    }

    public static ContractSettings defaults() {
        return new ContractSettings(64L << 20, 64 << 10, 8, Set.of());
    }

    public ContractSettings withLargeObjectSize(long size) {
        return new ContractSettings(size, chunkSize, threads, knownDeviations);
    }

    public ContractSettings withChunkSize(int size) {
        return new ContractSettings(largeObjectSize, size, threads, knownDeviations);
    }

    public ContractSettings withThreads(int count) {
        return new ContractSettings(largeObjectSize, chunkSize, count, knownDeviations);
    }

    public ContractSettings withKnownDeviation(String testName, String reason) {
        java.util.HashSet<KnownDeviation> deviations = new java.util.HashSet<>(knownDeviations);
        deviations.add(new KnownDeviation(testName, reason));
        return new ContractSettings(largeObjectSize, chunkSize, threads, deviations);
    }

    /** A test expected to fail, and why. */
    public record KnownDeviation(String testName, String reason) {
        public KnownDeviation {
            requireNonNull(testName, "testName is null");
            requireNonNull(reason, "reason is null");
        }
    }
}
