package dev.stowage.samples.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar on standard error for a stream being read: percentage when the total is known, bytes and rate
 * always. Redrawn at most every 200 ms; {@link #finish()} prints the final line.
 */
final class Progress extends FilterInputStream {
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final String label;
    private final long total;
    private final boolean enabled;
    private final long started = System.nanoTime();
    private long count;
    private long lastDraw;
    private boolean finished;

    Progress(InputStream in, PrintWriter err, String label, long total, boolean enabled) {
        super(in);
        this.err = err;
        this.label = label;
        this.total = total;
        // a bar only makes sense on a terminal; redirected output gets the result lines alone
        this.enabled = enabled && System.console() != null;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            advance(n);
        }
        return n;
    }

    private void advance(long n) {
        count += n;
        long now = System.nanoTime();
        if (enabled && now - lastDraw > REDRAW_NANOS) {
            lastDraw = now;
            draw(false);
        }
    }

    /** Draws the final state of the bar and ends its line; later calls (and {@link #close()}) do nothing. */
    void finish() {
        if (enabled && !finished) {
            draw(true);
        }
        finished = true;
    }

    @Override
    public void close() throws IOException {
        finish();
        super.close();
    }

    private void draw(boolean last) {
        double seconds = Math.max((System.nanoTime() - started) / 1e9, 1e-3);
        String rate = human(count / seconds) + "/s";
        String line;
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, count * WIDTH / total);
            line = String.format(Locale.ROOT, "\r%s [%s%s] %3d%% %s %s", label, "#".repeat(filled),
                    " ".repeat(WIDTH - filled), count * 100 / total, human(count), rate);
        } else {
            line = String.format(Locale.ROOT, "\r%s %s %s", label, human(count), rate);
        }
        err.print(line);
        if (last) {
            err.println();
        }
        err.flush();
    }

    static String human(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        while (bytes >= 1024 && unit < units.length - 1) {
            bytes /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
    }
}
