package dev.stowage.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real file-system conditions made with system tools; each returns null on success, else why it failed. */
final class Mounts {
    private Mounts() {
    }

    static String mountTmpfs(Path at, String size) {
        return run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", at.toString());
    }

    static String unmount(Path at) {
        return run("umount", at.toString());
    }

    /** {@code chattr +i} / {@code -i}: no new names in the directory, even for root. */
    static String immutable(Path directory, boolean on) {
        return run("chattr", on ? "+i" : "-i", directory.toString());
    }

    static String chmod(Path path, String mode) {
        return run("chmod", mode, path.toString());
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return String.join(" ", command) + ": timed out";
            }
            return process.exitValue() == 0 ? null : String.join(" ", command) + ": exit " + process.exitValue()
                    + (output.isEmpty() ? "" : ": " + output);
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return String.join(" ", command) + ": interrupted";
        }
    }
}
