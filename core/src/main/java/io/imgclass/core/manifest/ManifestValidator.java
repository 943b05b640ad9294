package io.imgclass.core.manifest;

import io.imgclass.core.model.ImageShape;
import io.imgclass.core.label.LabelCheck;
import io.imgclass.core.label.LabelFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs every {@link Rule} over a manifest in one streaming pass (plus a short look at the first
 * lines for {@code --label-format auto}) and returns a {@link ValidationReport}. Memory does not
 * grow with the file: the scanner's buffer, the class histogram, the listed issues (at most
 * {@code maxErrors} per severity) and a bounded buffer of reference hashes, spilled to temporary
 * files for duplicate detection in very large manifests.
 */
public final class ManifestValidator implements LineChecker.Sink {
  private final ValidationConfig config;
  private final long[] counts = new long[Rule.values().length];
  private final List<Issue> listed = new ArrayList<>();
  private long line;
  private long lineErrors;
  private long errors;
  private long warnings;
  private long listedErrors;
  private long listedWarnings;

  private ManifestValidator(ValidationConfig config) {
    this.config = config;
  }

  /** Validates the manifest the configuration names. */
  public static ValidationReport validate(ValidationConfig config) throws IOException {
    return new ManifestValidator(config).run();
  }

  @Override
  public void issue(Rule rule, int column, String message) {
    counts[rule.ordinal()]++;
    boolean error = rule.severity() == Severity.ERROR;
    if (error) {
      errors++;
      lineErrors++;
    } else {
      warnings++;
    }
    int max = config.maxErrors();
    if (error ? (max == 0 || listedErrors < max) : (max == 0 || listedWarnings < max)) {
      listed.add(new Issue(line, column, rule, message));
      if (error) {
        listedErrors++;
      } else {
        listedWarnings++;
      }
    }
  }

  private ValidationReport run() throws IOException {
    LabelFormat format = config.labelFormat();
    LabelFormatDetector.Detection detection = null;
    int k = config.numClasses();
    if (format == null) {
      detection = LabelFormatDetector.detect(config.manifest(), config.attributes(), k, config.detectSample());
      format = detection.format();
    }
    RefResolver resolver = new RefResolver(config.imageRoot(), config.prefixMaps());
    boolean fileChecks = resolver.active();
    ImageStatsBuilder images = config.checkImages() ? new ImageStatsBuilder() : null;
    LineChecker checker = new LineChecker(config.attributes(), format, k);
    long[] histogram = new long[Math.max(k, 1)];
    long lines = 0;
    long dataLines = 0;
    long valid = 0;
    long stringLabels = 0;
    // ref-not-s3 is said once, at the first such line, with the count: with --image-root and local
    // refs every line would carry the same warning and bury the errors.
    long refs = 0;
    long notS3 = 0;
    long firstNotS3Line = 0;
    String firstNotS3 = null;
    try (ManifestScanner s = ManifestScanner.open(config.manifest(), config.attributes());
        DuplicateRefs duplicates = new DuplicateRefs(config.duplicateChunk())) {
      while (s.next()) {
        lines++;
        line = s.lineNumber;
        lineErrors = 0;
        checker.check(s, this);
        if (s.kind != ManifestScanner.Kind.BLANK) {
          dataLines++;
        }
        if (s.kind == ManifestScanner.Kind.OBJECT && s.image == ManifestScanner.Attr.PRESENT && s.refLength > 0) {
          duplicates.add(s.ref, s.refLength, line);
          refs++;
          if (!startsWithS3(s.ref, s.refLength) && notS3++ == 0) {
            firstNotS3Line = line;
            firstNotS3 = s.refString();
          }
          if (fileChecks) {
            checkFile(resolver, s.refString(), images);
          }
        }
        if (checker.labelValid()) {
          histogram = LabelCheck.count(s.labelValue, format, histogram);
          if (checker.stringLabel()) {
            stringLabels++;
          }
        }
        if (lineErrors == 0) {
          valid++;
        }
      }
      if (notS3 > 0) {
        line = firstNotS3Line;
        issue(Rule.REF_NOT_S3, 0, "'" + LineChecker.abbreviate(firstNotS3) + "' is not an s3:// URI"
            + (notS3 > 1 ? " (" + notS3 + " of " + refs + " image refs are not s3:// URIs; said once)" : ""));
      }
      line = 0;
      if (dataLines == 0) {
        issue(Rule.EMPTY_MANIFEST, 0, lines == 0 ? "the file is empty" : "the file has only blank lines");
      }
      duplicates.finish(d -> {
        line = d.line();
        issue(Rule.DUPLICATE_REF, 0, "same image ref as line " + d.firstLine());
      });
    }
    line = 0;
    List<Integer> zero = new ArrayList<>();
    if (k > 0) {
      histogram = java.util.Arrays.copyOf(histogram, Math.max(k, histogram.length));
      if (dataLines > 0) {
        for (int c = 0; c < k; c++) {
          if (histogram[c] == 0) {
            zero.add(c);
            issue(Rule.CLASS_WITHOUT_EXAMPLES, 0, "class " + c + " has no examples");
          }
        }
      }
    } else {
      int used = histogram.length;
      while (used > 0 && histogram[used - 1] == 0) {
        used--;
      }
      histogram = java.util.Arrays.copyOf(histogram, used);
    }
    listed.sort(Comparator.comparingLong(Issue::line));
    Map<Rule, Long> byRule = new EnumMap<>(Rule.class);
    for (Rule r : Rule.values()) {
      byRule.put(r, counts[r.ordinal()]);
    }
    return new ValidationReport(config, format, detection, lines, valid, errors, warnings, stringLabels, byRule,
        notChecked(format, fileChecks), listed, errors - listedErrors, warnings - listedWarnings, histogram, zero,
        images == null ? null : images.build());
  }

  private void checkFile(RefResolver resolver, String ref, ImageStatsBuilder images) {
    RefResolver.Resolution r = resolver.resolve(ref);
    if (!r.ok()) {
      issue(r.problem(), 0, r.message());
      return;
    }
    if (images == null) {
      return;
    }
    ImageChecker.Result d = ImageChecker.decode(r.file());
    images.checked++;
    if (d.error() != null) {
      images.undecodable++;
      issue(Rule.IMAGE_UNDECODABLE, 0, d.error());
      return;
    }
    images.add(d);
    ImageShape shape = config.imageShape();
    if (shape != null && (d.width() < shape.width() || d.height() < shape.height())) {
      images.tooSmall++;
      issue(Rule.IMAGE_TOO_SMALL, 0, "image " + d.width() + "x" + d.height() + " (WxH) is smaller than --image-shape "
          + shape + " (" + shape.width() + "x" + shape.height() + ")");
    }
  }

  private static boolean startsWithS3(char[] c, int n) {
    return n >= 5 && c[0] == 's' && c[1] == '3' && c[2] == ':' && c[3] == '/' && c[4] == '/';
  }

  private Map<Rule, String> notChecked(LabelFormat format, boolean fileChecks) {
    Map<Rule, String> m = new EnumMap<>(Rule.class);
    if (format != LabelFormat.SINGLE) {
      m.put(Rule.LABEL_OUT_OF_RANGE, "label format is " + format);
    }
    if (format != LabelFormat.MULTI_HOT) {
      m.put(Rule.MULTI_HOT_LENGTH, "label format is " + format);
      m.put(Rule.MULTI_HOT_VALUE, "label format is " + format);
    }
    if (format != LabelFormat.CLASS_ID) {
      m.put(Rule.CLASS_ID_EMPTY, "label format is " + format);
      m.put(Rule.CLASS_ID_DUPLICATE, "label format is " + format);
      m.put(Rule.CLASS_ID_OUT_OF_RANGE, "label format is " + format);
    }
    if (format == LabelFormat.MULTI_HOT) {
      m.put(Rule.LABEL_NOT_INTEGER, "label format is " + format);
    }
    if (config.numClasses() == 0) {
      m.putIfAbsent(Rule.MULTI_HOT_LENGTH, "needs --num-classes");
      m.put(Rule.CLASS_WITHOUT_EXAMPLES, "needs --num-classes");
    }
    if (!fileChecks) {
      for (Rule r : List.of(Rule.REF_UNMAPPED, Rule.REF_ESCAPES_ROOT, Rule.MISSING_FILE)) {
        m.put(r, "needs --image-root or --s3-prefix-map");
      }
    }
    if (!config.checkImages()) {
      m.put(Rule.IMAGE_UNDECODABLE, "needs --check-images");
      m.put(Rule.IMAGE_TOO_SMALL, "needs --check-images");
    } else if (config.imageShape() == null) {
      m.put(Rule.IMAGE_TOO_SMALL, "needs --image-shape");
    }
    return m;
  }

  /** Collects image statistics while scanning. */
  private static final class ImageStatsBuilder {
    long checked;
    long decoded;
    long undecodable;
    long tooSmall;
    int minW = Integer.MAX_VALUE;
    int minH = Integer.MAX_VALUE;
    int maxW;
    int maxH;
    final Map<String, Long> formats = new TreeMap<>();

    void add(ImageChecker.Result d) {
      decoded++;
      minW = Math.min(minW, d.width());
      minH = Math.min(minH, d.height());
      maxW = Math.max(maxW, d.width());
      maxH = Math.max(maxH, d.height());
      formats.merge(d.format(), 1L, Long::sum);
    }

    ValidationReport.ImageStats build() {
      return new ValidationReport.ImageStats(checked, decoded, undecodable, tooSmall,
          decoded == 0 ? 0 : minW, decoded == 0 ? 0 : minH, maxW, maxH, new TreeMap<>(formats));
    }
  }
}
