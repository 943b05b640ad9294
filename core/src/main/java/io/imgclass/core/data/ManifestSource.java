package io.imgclass.core.data;

import io.imgclass.core.ImgclassException;
import io.imgclass.core.label.LabelFormat;
import io.imgclass.core.manifest.Attributes;
import io.imgclass.core.manifest.ManifestEntry;
import io.imgclass.core.manifest.ManifestReader;
import io.imgclass.core.manifest.RefResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An augmented manifest read directly, without packing: every line is checked with the same rules
 * as {@code validate-manifest} before training starts, image refs are resolved against the image
 * root or {@code s3://} prefix mappings, and labels become record labels (a multi-hot vector of
 * num_classes for {@code class-id} and {@code multi-hot}, one id for {@code single}).
 */
public final class ManifestSource implements SampleSource {
  private final Path manifest;
  private final Path[] files;
  private final float[][] labels;
  private final long[] lines;
  private final int labelWidth;

  private ManifestSource(Path manifest, Path[] files, float[][] labels, long[] lines, int labelWidth) {
    this.manifest = manifest;
    this.files = files;
    this.labels = labels;
    this.lines = lines;
    this.labelWidth = labelWidth;
  }

  /**
   * Reads and checks the whole manifest (refs and labels only; images are read during training).
   *
   * @param prefixMaps {@code s3://bucket/prefix=DIR} mappings
   */
  public static ManifestSource open(Path manifest, Path imageRoot, List<String> attributeNames, String labelFormat,
      List<String> prefixMaps, int numClasses) throws IOException {
    Attributes attrs = attributeNames.isEmpty() ? Attributes.DEFAULT : Attributes.parse(attributeNames);
    LabelFormat format = LabelFormat.parse(labelFormat);
    List<RefResolver.PrefixMapping> maps = new ArrayList<>();
    for (String m : prefixMaps) {
      maps.add(RefResolver.PrefixMapping.parse(m));
    }
    RefResolver resolver = new RefResolver(imageRoot, maps);
    List<Path> files = new ArrayList<>();
    List<float[]> labels = new ArrayList<>();
    List<Long> lines = new ArrayList<>();
    try (ManifestReader r = ManifestReader.open(manifest, attrs, format, numClasses)) {
      for (ManifestEntry e; (e = r.next()) != null; ) {
        RefResolver.Resolution res = resolver.resolve(e.imageRef());
        if (!res.ok()) {
          throw new ImgclassException(manifest + ":" + e.line() + ": " + res.problem().id() + ": " + res.message());
        }
        files.add(res.file());
        labels.add(e.label().toRecordLabels(numClasses));
        lines.add(e.line());
      }
    }
    if (files.isEmpty()) {
      throw new ImgclassException(manifest + ": the manifest has no lines");
    }
    long[] lineArr = lines.stream().mapToLong(Long::longValue).toArray();
    return new ManifestSource(manifest, files.toArray(new Path[0]), labels.toArray(new float[0][]), lineArr,
        labels.get(0).length);
  }

  @Override
  public int size() {
    return files.length;
  }

  @Override
  public String describe() {
    return manifest.toString();
  }

  @Override
  public int labelWidth() {
    return labelWidth;
  }

  @Override
  public Cursor cursor() {
    return new Cursor() {
      @Override
      public Sample read(int i) throws IOException {
        String where = manifest + ":" + lines[i] + " (" + files[i] + ")";
        try {
          return new Sample(io.imgclass.core.image.ImageFiles.read(files[i]), labels[i], where);
        } catch (io.imgclass.core.image.ImageFiles.NotARegularFile e) {
          throw new ImgclassException(manifest + ":" + lines[i] + ": " + e.getMessage(), e);
        }
      }

      @Override
      public void close() {}
    };
  }
}
