package dev.stowage.file;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises adds of one image id within this JVM, for stores with several data directories, where the final
 * hard link alone cannot make exclusive create atomic (the racers may pick different directories). Waiters wait for
 * the holder to finish, so an add that fails lets the next one succeed.
 */
final class IdLocks {
    private static final ConcurrentHashMap<String, Holder> LOCKS = new ConcurrentHashMap<>();

    private IdLocks() {
    }

    /** Takes the lock of {@code id}; close the result to release it. */
    static Held acquire(String id) throws InterruptedException {
        Holder holder = LOCKS.compute(id, (key, existing) -> {
            Holder value = existing == null ? new Holder() : existing;
            value.users++;
            return value;
        });
        try {
            holder.lock.lockInterruptibly();
        } catch (InterruptedException e) {
            release(id);
            throw e;
        }
        return () -> {
            holder.lock.unlock();
            release(id);
        };
    }

    private static void release(String id) {
        LOCKS.computeIfPresent(id, (key, value) -> --value.users == 0 ? null : value);
    }

    /** Number of ids with holders or waiters (for tests: nothing leaks). */
    static int size() {
        return LOCKS.size();
    }

    /** A held lock. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Holder {
        final ReentrantLock lock = new ReentrantLock();
        int users; // guarded by the map's compute
    }
}
