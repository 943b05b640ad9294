package io.imgclass.core.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Draws train and validation accuracy (and loss) per epoch into a PNG, headless. */
public final class TrainingCurve {
  private static final int W = 720;
  private static final int H = 420;
  private static final int PAD_L = 60;
  private static final int PAD_R = 20;
  private static final int PAD_T = 40;
  private static final int PAD_B = 50;

  private TrainingCurve() {}

  /** Writes the chart to {@code png} (through a temporary name). */
  public static void write(List<EpochMetrics> epochs, String title, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, W, H);
      g.setColor(Color.DARK_GRAY);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.drawString(title, PAD_L, 24);
      int pw = W - PAD_L - PAD_R;
      int ph = H - PAD_T - PAD_B;
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      for (int i = 0; i <= 10; i++) {
        int y = PAD_T + ph - ph * i / 10;
        g.setColor(new Color(230, 230, 230));
        g.drawLine(PAD_L, y, PAD_L + pw, y);
        g.setColor(Color.GRAY);
        g.drawString(String.format(Locale.ROOT, "%.1f", i / 10.0), PAD_L - 30, y + 4);
      }
      int n = Math.max(1, epochs.size());
      for (int e = 0; e < epochs.size(); e++) {
        int x = PAD_L + (n == 1 ? pw / 2 : pw * e / (n - 1));
        g.drawString(Integer.toString(epochs.get(e).epoch()), x - 4, PAD_T + ph + 16);
      }
      g.drawString("epoch", PAD_L + pw / 2 - 15, H - 12);
      series(g, epochs, pw, ph, n, new Color(31, 119, 180), EpochMetrics::trainAccuracy);
      series(g, epochs, pw, ph, n, new Color(214, 39, 40), EpochMetrics::validationAccuracy);
      legend(g, new Color(31, 119, 180), "train accuracy", 0);
      legend(g, new Color(214, 39, 40), "validation accuracy", 1);
    } finally {
      g.dispose();
    }
    Path tmp = png.resolveSibling(png.getFileName() + ".partial");
    ImageIO.write(img, "png", tmp.toFile());
    Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void series(Graphics2D g, List<EpochMetrics> epochs, int pw, int ph, int n, Color c,
      java.util.function.ToDoubleFunction<EpochMetrics> f) {
    g.setColor(c);
    g.setStroke(new BasicStroke(2f));
    int px = -1;
    int py = -1;
    for (int e = 0; e < epochs.size(); e++) {
      double v = f.applyAsDouble(epochs.get(e));
      if (Double.isNaN(v)) {
        continue;
      }
      int x = PAD_L + (n == 1 ? pw / 2 : pw * e / (n - 1));
      int y = PAD_T + ph - (int) Math.round(ph * Math.max(0, Math.min(1, v)));
      g.fillOval(x - 3, y - 3, 6, 6);
      if (px >= 0) {
        g.drawLine(px, py, x, y);
      }
      px = x;
      py = y;
    }
  }

  private static void legend(Graphics2D g, Color c, String text, int row) {
    int x = W - PAD_R - 170;
    int y = PAD_T + 10 + row * 16;
    g.setColor(c);
    g.fillRect(x, y - 8, 12, 8);
    g.setColor(Color.DARK_GRAY);
    g.drawString(text, x + 18, y);
  }
}
