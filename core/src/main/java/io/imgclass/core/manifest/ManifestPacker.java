package io.imgclass.core.manifest;

import io.imgclass.core.ImgclassException;
import io.imgclass.core.UsageException;
import io.imgclass.core.label.Label;
import io.imgclass.core.label.LabelFormat;
import io.imgclass.recordio.ImageRecordHeader;
import io.imgclass.recordio.RecordIOWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes an augmented manifest as {@code PREFIX.rec} + {@code PREFIX.idx}, in one of two layouts
 * (docs/validate-manifest.md, "Packing"):
 *
 * <ul>
 *   <li>{@link Layout#PIPE}: what SageMaker streams to the algorithm in Pipe mode with {@code
 *       RecordWrapperType=RecordIO} (spec §1.2). For each line, one record with the image file's
 *       bytes, then one record with the label's text form ({@link Label#toText()}: {@code 1},
 *       {@code [1, 0, 1]}, {@code [0, 2]}, UTF-8, no line break). The {@code .idx} key is the record's
 *       position (image of line i: 2i, its label: 2i+1).
 *   <li>{@link Layout#IMAGE_RECORDS}: im2rec's layout (spec §2.5): one record per line, an {@link
 *       ImageRecordHeader} with id = the line's 0-based index and the original image bytes after it
 *       (no re-encoding). A single label goes in the header; a multi-label is packed as num_classes
 *       float labels (class ids are expanded to multi-hot) so every record has the same label_width.
 *       The {@code .idx} key is the id.
 * </ul>
 *
 * <p>The manifest is read strictly: the first bad line or missing image stops packing with a
 * message naming the file and line, and no output file is left behind (the writer works under
 * temporary names). Run {@code validate-manifest} first to see every problem at once.
 */
public final class ManifestPacker {
  /** The record layout. */
  public enum Layout {
    /** Image record, then label text record, per line (Pipe mode). */
    PIPE,
    /** One IRHeader + image record per line (im2rec). */
    IMAGE_RECORDS
  }

  /**
   * What to pack.
   *
   * @param manifest the JSON Lines file
   * @param attributes image and label attribute names
   * @param labelFormat the label format, or null to detect it
   * @param numClasses num_classes, or 0 when unknown (needed for multi-label image records)
   * @param imageRoot directory for non-S3 refs, or null
   * @param prefixMaps s3:// prefix mappings
   * @param outPrefix output prefix: writes outPrefix.rec and outPrefix.idx
   * @param layout the record layout
   */
  public record Config(Path manifest, Attributes attributes, LabelFormat labelFormat, int numClasses,
      Path imageRoot, List<RefResolver.PrefixMapping> prefixMaps, Path outPrefix, Layout layout) {
    /** Checks option combinations. */
    public Config {
      Objects.requireNonNull(manifest, "manifest");
      Objects.requireNonNull(attributes, "attributes");
      Objects.requireNonNull(outPrefix, "outPrefix");
      Objects.requireNonNull(layout, "layout");
      prefixMaps = List.copyOf(prefixMaps);
      if (imageRoot == null && prefixMaps.isEmpty()) {
        throw new UsageException("packing a manifest needs --image-root or --s3-prefix-map to find the images");
      }
      if (numClasses < 0) {
        throw new UsageException("num_classes must be at least 1, got " + numClasses);
      }
    }

    /** A builder; required: manifest and output prefix. */
    public static Builder builder(Path manifest, Path outPrefix) {
      return new Builder(manifest, outPrefix);
    }
  }

  /** Builder for {@link Config}. */
  public static final class Builder {
    private final Path manifest;
    private final Path outPrefix;
    private Attributes attributes = Attributes.DEFAULT;
    private LabelFormat labelFormat;
    private int numClasses;
    private Path imageRoot;
    private final List<RefResolver.PrefixMapping> prefixMaps = new ArrayList<>();
    private Layout layout = Layout.PIPE;

    private Builder(Path manifest, Path outPrefix) {
      this.manifest = manifest;
      this.outPrefix = outPrefix;
    }

    /** Attribute names. */
    public Builder optAttributes(Attributes a) {
      attributes = a;
      return this;
    }

    /** Label format; null = auto. */
    public Builder optLabelFormat(LabelFormat f) {
      labelFormat = f;
      return this;
    }

    /** num_classes. */
    public Builder optNumClasses(int n) {
      numClasses = n;
      return this;
    }

    /** Root for non-S3 refs. */
    public Builder optImageRoot(Path p) {
      imageRoot = p;
      return this;
    }

    /** Adds an s3:// prefix mapping. */
    public Builder addPrefixMap(RefResolver.PrefixMapping m) {
      prefixMaps.add(m);
      return this;
    }

    /** Record layout (default Pipe). */
    public Builder optLayout(Layout l) {
      layout = l;
      return this;
    }

    /** Builds the config. */
    public Config build() {
      return new Config(manifest, attributes, labelFormat, numClasses, imageRoot, prefixMaps, outPrefix, layout);
    }
  }

  /**
   * What was written.
   *
   * @param entries manifest lines packed
   * @param records records written
   * @param bytes size of the .rec file
   * @param labelFormat the label format used
   * @param detection how it was detected, or null when given
   * @param rec the .rec file
   * @param idx the .idx file
   */
  public record Result(long entries, long records, long bytes, LabelFormat labelFormat,
      LabelFormatDetector.Detection detection, Path rec, Path idx) {}

  private ManifestPacker() {}

  /** Packs the manifest. */
  public static Result pack(Config c) throws IOException {
    LabelFormat format = c.labelFormat();
    LabelFormatDetector.Detection detection = null;
    if (format == null) {
      detection = LabelFormatDetector.detect(c.manifest(), c.attributes(), c.numClasses(), LabelFormatDetector.DEFAULT_SAMPLE);
      format = detection.format();
    }
    if (c.layout() == Layout.IMAGE_RECORDS && format.multiLabel() && c.numClasses() == 0) {
      throw new UsageException("multi-label image records need num_classes (every record carries num_classes labels)");
    }
    RefResolver resolver = new RefResolver(c.imageRoot(), c.prefixMaps());
    Path rec = c.outPrefix().resolveSibling(c.outPrefix().getFileName() + ".rec");
    Path idx = c.outPrefix().resolveSibling(c.outPrefix().getFileName() + ".idx");
    RecordIOWriter w = RecordIOWriter.create(rec, idx);
    long entries = 0;
    try (ManifestReader r = ManifestReader.open(c.manifest(), c.attributes(), format, c.numClasses())) {
      for (ManifestEntry e; (e = r.next()) != null; ) {
        RefResolver.Resolution where = resolver.resolve(e.imageRef());
        if (!where.ok()) {
          throw new ManifestException(c.manifest(), new Issue(e.line(), 0, where.problem(), where.message()));
        }
        byte[] image = Files.readAllBytes(where.file());
        if (c.layout() == Layout.PIPE) {
          w.write(2 * e.index(), image);
          w.write(2 * e.index() + 1, e.label().toText().getBytes(StandardCharsets.UTF_8));
        } else {
          ImageRecordHeader h = e.label() instanceof Label.Single s
              ? ImageRecordHeader.single(s.classId(), e.index())
              : ImageRecordHeader.multi(e.label().toRecordLabels(c.numClasses()), e.index());
          w.write(e.index(), h.encode(image));
        }
        entries++;
      }
      if (entries == 0) {
        throw new ImgclassException(c.manifest() + ": the manifest has no lines; nothing to pack");
      }
      long records = w.records();
      long bytes = w.position();
      w.close();
      return new Result(entries, records, bytes, format, detection, rec, idx);
    } catch (IOException | RuntimeException e) {
      w.abort();
      throw e;
    }
  }
}
