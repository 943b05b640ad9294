package io.imgclass.core.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints a {@link ValidationReport} as text, JSON or JUnit XML. The JSON and XML layouts are a
 * contract for CI (docs/validate-manifest.md): keys and elements keep their order, rules are listed
 * in {@link Rule} order, and a new field may be added but none is renamed or removed without a new
 * schema version.
 */
public final class ReportWriter {
  /** The JSON report's schema id. */
  public static final String JSON_SCHEMA = "imgclass/validate-manifest/v1";

  private ReportWriter() {}

  /** Writes the report in the given format. */
  public static void write(ValidationReport r, ReportFormat format, Writer w) throws IOException {
    switch (format) {
      case TEXT -> text(r, new PrintWriter(w));
      case JSON -> json(r, w);
      case JUNIT -> junit(r, new PrintWriter(w));
    }
    w.flush();
  }

  private static String name(ValidationReport r) {
    return r.config().manifest().toString();
  }

  private static String where(ValidationReport r, Issue i) {
    StringBuilder b = new StringBuilder(name(r));
    if (i.line() > 0) {
      b.append(':').append(i.line());
      if (i.column() > 0) {
        b.append(':').append(i.column());
      }
    }
    return b.toString();
  }

  // ---------------------------------------------------------------- text

  private static void text(ValidationReport r, PrintWriter out) {
    for (Issue i : r.issues()) {
      out.println(where(r, i) + ": " + i.severity().label() + " [" + i.rule().id() + "] " + i.message());
    }
    if (r.unlistedErrors() > 0 || r.unlistedWarnings() > 0) {
      out.println("... " + r.unlistedErrors() + " more errors and " + r.unlistedWarnings()
          + " more warnings not listed (--max-errors " + r.config().maxErrors() + "; 0 lists all)");
    }
    out.println("label format: " + r.labelFormat()
        + (r.detection() == null ? " (given)" : " (auto-detected: " + r.detection().reason() + ")"));
    out.println("lines: " + r.lines() + ", valid: " + r.validLines() + ", errors: " + r.errors()
        + ", warnings: " + r.warnings() + ", string-form labels: " + r.stringLabels());
    out.println("errors by rule: " + byRule(r, Severity.ERROR));
    out.println("warnings by rule: " + byRule(r, Severity.WARNING));
    List<String> skipped = new ArrayList<>();
    for (Rule rule : Rule.values()) {
      String why = r.notChecked().get(rule);
      if (why != null) {
        skipped.add(rule.id() + " (" + why + ")");
      }
    }
    if (!skipped.isEmpty()) {
      out.println("not checked: " + String.join(", ", skipped));
    }
    long[] h = r.histogram();
    StringBuilder hist = new StringBuilder("class histogram (" + h.length + " classes):");
    for (int c = 0; c < h.length; c++) {
      hist.append(' ').append(c).append('=').append(h[c]);
    }
    out.println(hist);
    if (r.config().numClasses() > 0) {
      out.println("classes with no examples: " + (r.classesWithoutExamples().isEmpty() ? "none"
          : r.classesWithoutExamples().toString().replaceAll("[\\[\\]]", "")));
    }
    ValidationReport.ImageStats im = r.images();
    if (im != null) {
      out.println("images: " + im.checked() + " checked, " + im.decoded() + " decoded, " + im.undecodable()
          + " undecodable, " + im.tooSmall() + " too small; sizes " + im.minWidth() + "x" + im.minHeight() + " to "
          + im.maxWidth() + "x" + im.maxHeight() + " (WxH); formats " + im.formats());
    }
    if (r.passed()) {
      out.println("result: VALID" + (r.warnings() > 0 ? " (with " + r.warnings() + " warnings)" : ""));
    } else {
      out.println("result: INVALID (" + r.errors() + " errors, " + r.warnings() + " warnings"
          + (r.config().strict() ? "; --strict: warnings count" : "") + ")");
    }
    out.flush();
  }

  private static String byRule(ValidationReport r, Severity s) {
    List<String> parts = new ArrayList<>();
    for (Rule rule : Rule.values()) {
      long n = r.counts().get(rule);
      if (rule.severity() == s && n > 0) {
        parts.add(rule.id() + "=" + n);
      }
    }
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }

  // ---------------------------------------------------------------- JSON

  private static void json(ValidationReport r, Writer w) throws IOException {
    JsonGenerator g = new JsonFactory().createGenerator(w);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    DefaultPrettyPrinter pp = new DefaultPrettyPrinter().withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
        .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
    g.setPrettyPrinter(pp);
    ValidationConfig c = r.config();
    g.writeStartObject();
    g.writeStringField("schema", JSON_SCHEMA);
    g.writeStringField("manifest", name(r));
    g.writeBooleanField("valid", r.passed());
    g.writeObjectFieldStart("options");
    g.writeArrayFieldStart("attributeNames");
    g.writeString(c.attributes().image());
    g.writeString(c.attributes().label());
    g.writeEndArray();
    nullableInt(g, "numClasses", c.numClasses() > 0 ? c.numClasses() : null);
    g.writeStringField("labelFormat", c.labelFormat() == null ? "auto" : c.labelFormat().cliName());
    g.writeStringField("imageRoot", c.imageRoot() == null ? null : c.imageRoot().toString());
    g.writeArrayFieldStart("s3PrefixMap");
    for (RefResolver.PrefixMapping m : c.prefixMaps()) {
      g.writeStartObject();
      g.writeStringField("prefix", m.prefix());
      g.writeStringField("dir", m.dir().toString());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeBooleanField("checkImages", c.checkImages());
    g.writeStringField("imageShape", c.imageShape() == null ? null : c.imageShape().toString());
    g.writeNumberField("maxErrors", c.maxErrors());
    g.writeBooleanField("strict", c.strict());
    g.writeEndObject();
    g.writeObjectFieldStart("labelFormat");
    g.writeStringField("used", r.labelFormat().cliName());
    g.writeBooleanField("detected", r.detection() != null);
    g.writeStringField("reason", r.detection() == null ? "given" : r.detection().reason());
    g.writeEndObject();
    g.writeObjectFieldStart("summary");
    g.writeNumberField("lines", r.lines());
    g.writeNumberField("validLines", r.validLines());
    g.writeNumberField("errors", r.errors());
    g.writeNumberField("warnings", r.warnings());
    g.writeNumberField("stringLabels", r.stringLabels());
    g.writeNumberField("unlistedErrors", r.unlistedErrors());
    g.writeNumberField("unlistedWarnings", r.unlistedWarnings());
    g.writeEndObject();
    g.writeArrayFieldStart("rules");
    for (Rule rule : Rule.values()) {
      g.writeStartObject();
      g.writeStringField("id", rule.id());
      g.writeStringField("severity", rule.severity().label());
      String why = r.notChecked().get(rule);
      g.writeBooleanField("checked", why == null);
      g.writeStringField("notCheckedReason", why);
      g.writeNumberField("count", r.counts().get(rule));
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("classHistogram");
    for (long n : r.histogram()) {
      g.writeNumber(n);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("classesWithoutExamples");
    for (int cl : r.classesWithoutExamples()) {
      g.writeNumber(cl);
    }
    g.writeEndArray();
    ValidationReport.ImageStats im = r.images();
    if (im == null) {
      g.writeNullField("images");
    } else {
      g.writeObjectFieldStart("images");
      g.writeNumberField("checked", im.checked());
      g.writeNumberField("decoded", im.decoded());
      g.writeNumberField("undecodable", im.undecodable());
      g.writeNumberField("tooSmall", im.tooSmall());
      g.writeNumberField("minWidth", im.minWidth());
      g.writeNumberField("minHeight", im.minHeight());
      g.writeNumberField("maxWidth", im.maxWidth());
      g.writeNumberField("maxHeight", im.maxHeight());
      g.writeObjectFieldStart("formats");
      for (Map.Entry<String, Long> e : im.formats().entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeArrayFieldStart("issues");
    for (Issue i : r.issues()) {
      g.writeStartObject();
      g.writeNumberField("line", i.line());
      nullableInt(g, "column", i.column() > 0 ? i.column() : null);
      g.writeStringField("rule", i.rule().id());
      g.writeStringField("severity", i.severity().label());
      g.writeStringField("message", i.message());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeRaw('\n');
    g.close();
  }

  private static void nullableInt(JsonGenerator g, String name, Integer v) throws IOException {
    if (v == null) {
      g.writeNullField(name);
    } else {
      g.writeNumberField(name, v);
    }
  }

  // ---------------------------------------------------------------- JUnit XML

  private static void junit(ValidationReport r, PrintWriter out) {
    String suite = "validate-manifest";
    String file = r.config().manifest().getFileName().toString();
    int tests = Rule.values().length;
    int failures = 0;
    int skipped = 0;
    for (Rule rule : Rule.values()) {
      if (r.notChecked().containsKey(rule)) {
        skipped++;
      } else if (fails(r, rule)) {
        failures++;
      }
    }
    out.println("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    String counts = " tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"0\" skipped=\"" + skipped + "\"";
    out.println("<testsuites name=\"" + suite + "\"" + counts + ">");
    out.println("  <testsuite name=\"" + xml(suite + " " + name(r)) + "\"" + counts + ">");
    out.println("    <properties>");
    property(out, "manifest", name(r));
    property(out, "labelFormat", r.labelFormat().cliName());
    property(out, "labelFormatReason", r.detection() == null ? "given" : r.detection().reason());
    property(out, "lines", Long.toString(r.lines()));
    property(out, "validLines", Long.toString(r.validLines()));
    property(out, "errors", Long.toString(r.errors()));
    property(out, "warnings", Long.toString(r.warnings()));
    property(out, "valid", Boolean.toString(r.passed()));
    out.println("    </properties>");
    for (Rule rule : Rule.values()) {
      String open = "    <testcase classname=\"" + xml(suite + "." + file) + "\" name=\"" + rule.id() + "\"";
      String why = r.notChecked().get(rule);
      long n = r.counts().get(rule);
      StringBuilder lines = new StringBuilder();
      for (Issue i : r.issues()) {
        if (i.rule() == rule) {
          lines.append(where(r, i)).append(": ").append(i.message()).append('\n');
        }
      }
      long unlisted = n - r.issues().stream().filter(i -> i.rule() == rule).count();
      if (unlisted > 0) {
        lines.append("... ").append(unlisted).append(" more not listed\n");
      }
      if (why != null) {
        out.println(open + ">");
        out.println("      <skipped message=\"" + xml("not checked: " + why) + "\"/>");
        out.println("    </testcase>");
      } else if (fails(r, rule)) {
        String what = n + " " + rule.severity().label() + (n == 1 ? "" : "s");
        out.println(open + ">");
        out.println("      <failure type=\"" + rule.id() + "\" message=\"" + xml(what + ": " + rule.meaning()) + "\">"
            + xml(lines.toString()) + "</failure>");
        out.println("    </testcase>");
      } else if (n > 0) {
        // A warning outside --strict: passes, but the details stay visible to CI.
        out.println(open + ">");
        out.println("      <system-out>" + xml(lines.toString()) + "</system-out>");
        out.println("    </testcase>");
      } else {
        out.println(open + "/>");
      }
    }
    out.println("  </testsuite>");
    out.println("</testsuites>");
    out.flush();
  }

  private static boolean fails(ValidationReport r, Rule rule) {
    return r.counts().get(rule) > 0 && (rule.severity() == Severity.ERROR || r.config().strict());
  }

  private static void property(PrintWriter out, String name, String value) {
    out.println("      <property name=\"" + name + "\" value=\"" + xml(value) + "\"/>");
  }

  /** Escapes for XML 1.0 text and attributes; characters XML 1.0 forbids become U+FFFD. */
  static String xml(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> {
          if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' || ch == 0xFFFE || ch == 0xFFFF) {
            b.append('\uFFFD');
          } else if (Character.isSurrogate(ch)) {
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
              b.append(ch).append(s.charAt(++i));
            } else {
              b.append('\uFFFD');
            }
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.toString();
  }
}
