package io.imgclass.core.inspect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders an {@link InspectReport} for people (text) or programs (the stable JSON schema). */
public final class InspectFormatter {
  private static final int WIDTH = 100;
  private static final String INDENT = "          ";

  private InspectFormatter() {}

  /** Pretty-printed JSON; field order follows the report records, maps keep their order. */
  public static String json(InspectReport report) {
    try {
      return new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(report)
          + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A short human-readable summary, one topic per block. */
  public static String text(InspectReport r) {
    StringBuilder sb = new StringBuilder();
    line(sb, "file", r.file() + ": " + n(r.fileBytes()) + " bytes, " + n(r.records()) + " records, payload "
        + n(r.payloadBytes()) + " bytes");

    InspectReport.Header h = r.header();
    String ids = h.idMin() == null ? "no ids" : "ids " + h.idMin() + ".." + h.idMax();
    StringBuilder hdr = new StringBuilder(n(h.valid()) + " valid IRHeaders");
    if (h.invalid() > 0) {
      hdr.append(", ").append(n(h.invalid())).append(" invalid");
    }
    hdr.append("; flags ").append(histogram(h.flags())).append("; ").append(ids);
    if (h.duplicateIds() > 0) {
      hdr.append(" (").append(n(h.duplicateIds())).append(" duplicate)");
    }
    if (h.nonZeroId2() > 0) {
      hdr.append("; id2 != 0 in ").append(n(h.nonZeroId2()));
    }
    line(sb, "header", hdr.toString());
    for (String e : h.examples()) {
      line(sb, "", "invalid header " + e);
    }

    InspectReport.Labels l = r.labels();
    switch (l.kind()) {
      case "none" -> line(sb, "labels", "none");
      default -> {
        if (!l.single().isEmpty()) {
          line(sb, "labels", "single-label: " + l.single().size() + " distinct values"
              + (l.singleOther() > 0 ? " (+" + n(l.singleOther()) + " records with more)" : ""));
          wrapped(sb, histogramItems(l.single()));
        }
        if (!l.labelWidths().isEmpty()) {
          line(sb, l.single().isEmpty() ? "labels" : "", "multi-label: label widths " + histogram(l.labelWidths()));
          for (InspectReport.Position p : l.positions()) {
            line(sb, "", String.format(Locale.ROOT, "position %d: %s non-zero of %s; values %s%s", p.position(),
                n(p.nonZero()), n(p.records()), histogram(p.values()),
                p.otherValues() > 0 ? " (+" + n(p.otherValues()) + " more)" : ""));
          }
        }
      }
    }

    InspectReport.Images im = r.images();
    line(sb, "images", "formats " + (im.formats().isEmpty() ? "none" : histogram(im.formats())));
    line(sb, "", (im.decodeMode().equals("all") ? "decoded all " : "decoded a sample of ") + n(im.decoded()) + ": "
        + n(im.decodedOk()) + " ok" + (im.shapes().isEmpty() ? "" : "; WxHxC " + histogram(im.shapes())));
    for (InspectReport.ImageFailure f : im.failures()) {
      line(sb, "", "undecodable: record at byte " + f.offset() + ", id " + f.id() + ": " + f.reason());
    }
    if (im.failureCount() > im.failures().size()) {
      line(sb, "", "... and " + n(im.failureCount() - im.failures().size()) + " more undecodable");
    }

    InspectReport.Index x = r.index();
    if (x == null) {
      line(sb, "index", "none (no .idx next to the file; give one with --idx)");
    } else {
      String counts = x.entries() == r.records() ? n(x.entries()) + " entries"
          : n(x.entries()) + " entries for " + n(r.records()) + " records";
      line(sb, "index", x.file() + ": " + counts + ", " + (x.consistent() ? "consistent" : "INCONSISTENT"));
      for (String e : x.examples()) {
        line(sb, "", e);
      }
    }

    InspectReport.Corrupt c = r.corrupt();
    if (c.regions().isEmpty()) {
      line(sb, "corrupt", "none");
    } else {
      line(sb, "corrupt", c.regions().size() + " region" + (c.regions().size() == 1 ? "" : "s") + ", "
          + n(c.skippedBytes()) + " bytes skipped");
      for (InspectReport.Region g : c.regions()) {
        line(sb, "", "bytes " + g.start() + ".." + g.end() + " (" + n(g.length()) + "): " + g.reason());
      }
    }
    if (r.ok()) {
      line(sb, "result", r.problems().isEmpty() ? "OK" : "OK (findings, not checked without --verify: "
          + r.problems().size() + ")");
    } else {
      line(sb, "result", "FAILED");
    }
    for (String p : r.problems()) {
      line(sb, "", "- " + p);
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String topic, String text) {
    sb.append(String.format(Locale.ROOT, "%-10s", topic)).append(text).append('\n');
  }

  private static void wrapped(StringBuilder sb, List<String> items) {
    StringBuilder cur = new StringBuilder();
    for (String item : items) {
      if (cur.length() > 0 && INDENT.length() + cur.length() + 2 + item.length() > WIDTH) {
        sb.append(INDENT).append(cur).append('\n');
        cur.setLength(0);
      }
      if (cur.length() > 0) {
        cur.append("  ");
      }
      cur.append(item);
    }
    if (cur.length() > 0) {
      sb.append(INDENT).append(cur).append('\n');
    }
  }

  private static List<String> histogramItems(Map<String, Long> m) {
    List<String> items = new ArrayList<>();
    m.forEach((k, v) -> items.add(k + ": " + n(v)));
    return items;
  }

  private static String histogram(Map<String, Long> m) {
    return String.join(", ", histogramItems(m));
  }

  private static String n(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }
}
