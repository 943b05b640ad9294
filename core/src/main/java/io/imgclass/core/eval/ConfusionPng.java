package io.imgclass.core.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/**
 * Draws a confusion matrix as a heat map PNG (Java2D, headless): each cell coloured by its share
 * of the true class's row (so rare classes are as readable as common ones), counts written in the
 * cells when they fit, class names on the axes when there are at most 60 classes.
 */
public final class ConfusionPng {
  private ConfusionPng() {}

  /** Writes the heat map to {@code png} (through a temporary name). */
  public static void write(EvaluationResult r, Path png) throws IOException {
    if (r.multiLabel()) {
      throw new IllegalArgumentException("a multi-label evaluation has no confusion matrix");
    }
    System.setProperty("java.awt.headless", "true");
    long[][] m = r.confusion();
    int k = m.length;
    int cell = Math.max(4, Math.min(48, 960 / Math.max(1, k)));
    boolean names = k <= 60;
    int label = names ? 120 : 30;
    int top = 40;
    int w = label + k * cell + 20;
    int h = top + k * cell + label;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.setColor(Color.DARK_GRAY);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      g.drawString(String.format(java.util.Locale.ROOT, "confusion matrix (rows: true, columns: predicted)  accuracy %.4f",
          r.accuracy()), 8, 22);
      Font cellFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(8, Math.min(12, cell / 3)));
      for (int t = 0; t < k; t++) {
        long rowSum = 0;
        for (long v : m[t]) {
          rowSum += v;
        }
        for (int p = 0; p < k; p++) {
          double share = rowSum == 0 ? 0 : (double) m[t][p] / rowSum;
          // White (0) to dark blue (1).
          g.setColor(new Color((int) (255 - 225 * share), (int) (255 - 185 * share), (int) (255 - 95 * share)));
          int x = label + p * cell;
          int y = top + t * cell;
          g.fillRect(x, y, cell, cell);
          if (cell >= 24 && m[t][p] > 0) {
            g.setFont(cellFont);
            g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
            String s = Long.toString(m[t][p]);
            FontMetrics fm = g.getFontMetrics();
            if (fm.stringWidth(s) < cell - 2) {
              g.drawString(s, x + (cell - fm.stringWidth(s)) / 2, y + (cell + fm.getAscent()) / 2 - 2);
            }
          }
        }
      }
      g.setColor(Color.GRAY);
      g.drawRect(label, top, k * cell, k * cell);
      if (names) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(8, Math.min(12, cell - 2))));
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Color.DARK_GRAY);
        for (int c = 0; c < k; c++) {
          String n = fit(r.classes().get(c), fm, label - 8);
          g.drawString(n, label - 4 - fm.stringWidth(n), top + c * cell + (cell + fm.getAscent()) / 2 - 2);
          Graphics2D rot = (Graphics2D) g.create();
          rot.translate(label + c * cell + (cell + fm.getAscent()) / 2 - 2, top + k * cell + 4);
          rot.rotate(Math.PI / 2);
          rot.drawString(fit(r.classes().get(c), fm, label - 8), 0, 0);
          rot.dispose();
        }
      }
    } finally {
      g.dispose();
    }
    Path abs = png.toAbsolutePath();
    Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
    if (!ImageIO.write(img, "png", tmp.toFile())) {
      throw new IOException("no PNG writer available");
    }
    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String fit(String s, FontMetrics fm, int width) {
    String t = s;
    while (t.length() > 1 && fm.stringWidth(t) > width) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }
}
