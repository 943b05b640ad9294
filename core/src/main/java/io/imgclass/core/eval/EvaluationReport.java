package io.imgclass.core.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/** Writes an {@link EvaluationResult} as text for people or JSON for tools. */
public final class EvaluationReport {
  private EvaluationReport() {}

  /** The text report: summary, per-class table, confusion matrix (single-label). */
  public static String text(EvaluationResult r) {
    StringBuilder b = new StringBuilder();
    b.append("data: ").append(r.source()).append('\n');
    b.append("preprocessing: ").append(r.preprocessing()).append('\n');
    b.append("images: ").append(r.evaluated()).append(" evaluated, ").append(r.skipped()).append(" skipped\n");
    if (r.multiLabel()) {
      b.append(f("exact-match ratio: %.4f%n", r.exactMatch()));
      b.append(f("label accuracy (every image x class decision at 0.5): %.4f%n", r.accuracy()));
    } else {
      b.append(f("accuracy: %.4f%n", r.accuracy()));
      if (r.topK() > 1) {
        b.append(f("top-%d accuracy: %.4f%n", r.topK(), r.topKAccuracy()));
      }
    }
    int nameW = "class".length();
    for (String n : r.classes()) {
      nameW = Math.max(nameW, Math.min(30, n.length()));
    }
    b.append('\n').append(r.multiLabel() ? "per class (threshold 0.5):\n" : "per class:\n");
    b.append(f("%5s  %-" + nameW + "s  %9s  %6s  %6s  %7s%n", "index", "class", "precision", "recall", "f1", "support"));
    for (EvaluationResult.ClassMetrics c : r.perClass()) {
      b.append(f("%5d  %-" + nameW + "s  %9.4f  %6.4f  %6.4f  %7d%n", c.index(), clip(c.name(), nameW), c.precision(),
          c.recall(), c.f1(), c.support()));
    }
    b.append(f("%5s  %-" + nameW + "s  %9.4f  %6.4f  %6.4f  %7d%n", "", "macro avg", r.macroPrecision(),
        r.macroRecall(), r.macroF1(), r.perClass().stream().mapToLong(EvaluationResult.ClassMetrics::support).sum()));
    if (!r.multiLabel()) {
      b.append("\nconfusion matrix (rows: true class, columns: predicted class, by index):\n");
      long max = 1;
      for (long[] row : r.confusion()) {
        for (long v : row) {
          max = Math.max(max, v);
        }
      }
      int w = Math.max(Long.toString(max).length(), Integer.toString(r.classes().size() - 1).length()) + 1;
      b.append(f("%" + (w + 1) + "s", "|"));
      for (int c = 0; c < r.confusion().length; c++) {
        b.append(f("%" + w + "d", c));
      }
      b.append('\n');
      for (int t = 0; t < r.confusion().length; t++) {
        b.append(f("%" + w + "d|", t));
        for (long v : r.confusion()[t]) {
          b.append(f("%" + w + "d", v));
        }
        b.append('\n');
      }
    }
    return b.toString();
  }

  /** The JSON report (one object, pretty-printed). */
  public static String json(EvaluationResult r) {
    ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode o = om.createObjectNode();
    o.put("data", r.source());
    o.put("preprocessing", r.preprocessing());
    o.put("multi_label", r.multiLabel());
    o.put("evaluated", r.evaluated());
    o.put("skipped", r.skipped());
    if (r.multiLabel()) {
      o.put("exact_match_ratio", r.exactMatch());
      o.put("label_accuracy", r.accuracy());
    } else {
      o.put("accuracy", r.accuracy());
      if (r.topK() > 1) {
        o.put("top_k", r.topK());
        o.put("top_k_accuracy", r.topKAccuracy());
      }
    }
    ArrayNode per = o.putArray("per_class");
    for (EvaluationResult.ClassMetrics c : r.perClass()) {
      ObjectNode n = per.addObject();
      n.put("index", c.index());
      n.put("class", c.name());
      n.put("precision", c.precision());
      n.put("recall", c.recall());
      n.put("f1", c.f1());
      n.put("support", c.support());
      n.put("true_positives", c.truePositives());
      n.put("false_positives", c.falsePositives());
      n.put("false_negatives", c.falseNegatives());
    }
    ObjectNode macro = o.putObject("macro_avg");
    macro.put("precision", r.macroPrecision());
    macro.put("recall", r.macroRecall());
    macro.put("f1", r.macroF1());
    if (!r.multiLabel()) {
      ArrayNode cm = o.putArray("confusion_matrix");
      for (long[] row : r.confusion()) {
        ArrayNode a = cm.addArray();
        for (long v : row) {
          a.add(v);
        }
      }
    }
    try {
      return om.writeValueAsString(o) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String clip(String s, int w) {
    return s.length() <= w ? s : s.substring(0, w - 1) + "…";
  }

  private static String f(String fmt, Object... args) {
    return String.format(Locale.ROOT, fmt, args);
  }
}
