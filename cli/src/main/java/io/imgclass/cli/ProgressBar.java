package io.imgclass.cli;

import io.imgclass.core.pack.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/** A one-line progress bar with rate and ETA, redrawn at most 5 times a second (terminals only). */
final class ProgressBar implements ProgressListener {
  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final String label;
  private long lastDraw;

  ProgressBar(PrintWriter err, String label) {
    this.err = err;
    this.label = label;
  }

  @Override
  public void progress(long done, long total, long elapsedNanos) {
    boolean last = done >= total;
    if (!last && elapsedNanos - lastDraw < 200_000_000L) {
      return;
    }
    lastDraw = elapsedNanos;
    double secs = elapsedNanos / 1e9;
    double rate = secs > 0 ? done / secs : 0;
    long eta = rate > 0 ? Math.round((total - done) / rate) : 0;
    int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
    err.print(String.format(Locale.ROOT, "\r%s [%s%s] %d/%d %.0f img/s ETA %d:%02d ",
        label, "#".repeat(filled), " ".repeat(WIDTH - filled), done, total, rate, eta / 60, eta % 60));
    if (last) {
      err.println();
    }
    err.flush();
  }
}
