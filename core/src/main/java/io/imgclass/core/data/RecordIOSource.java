package io.imgclass.core.data;

import io.imgclass.core.ImgclassException;
import io.imgclass.recordio.ImageRecordHeader;
import io.imgclass.recordio.RawRecord;
import io.imgclass.recordio.RecordIOReader;
import io.imgclass.recordio.RecordIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Image records from a {@code .rec} file (SageMaker's {@code application/x-recordio} channel). The
 * record offsets come from the {@code .idx} beside it, or from one sequential scan when there is
 * none; labels come from each record's {@code IRHeader} (packed multi-label when flag > 0).
 */
public final class RecordIOSource implements SampleSource {
  private final Path rec;
  private final long[] offsets;
  private final int labelWidth;

  private RecordIOSource(Path rec, long[] offsets, int labelWidth) {
    this.rec = rec;
    this.offsets = offsets;
    this.labelWidth = labelWidth;
  }

  /**
   * Opens {@code rec}, using {@code idx} when it exists (null: {@code rec} with {@code .idx}).
   * Offsets are kept in file order, so an unshuffled epoch reads the file sequentially.
   */
  public static RecordIOSource open(Path rec, Path idx) throws IOException {
    String notAFile = io.imgclass.core.image.ImageFiles.problem(rec);
    if (notAFile != null) {
      // A directory (or FIFO, ...) is not "no such file".
      throw new ImgclassException(notAFile.equals("no such file") ? "no such .rec file: " + rec : rec + ": " + notAFile);
    }
    if (Files.size(rec) == 0) {
      // Not SageMaker's "Empty .rec file in train channel": evaluate and validation read .rec files too.
      throw new ImgclassException(rec + ": empty .rec file (0 bytes): no records");
    }
    Path index = idx != null ? idx : rec.resolveSibling(stripExt(rec.getFileName().toString()) + ".idx");
    long[] offsets;
    if (Files.isRegularFile(index)) {
      offsets = RecordIndex.read(index).entries().stream().mapToLong(RecordIndex.Entry::offset).sorted().toArray();
    } else if (idx != null) {
      throw new ImgclassException("no such .idx file: " + idx);
    } else {
      offsets = scan(rec);
    }
    if (offsets.length == 0) {
      throw new ImgclassException(rec + ": no records");
    }
    int width;
    try (RecordIOReader r = RecordIOReader.open(rec)) {
      RawRecord first = r.readAt(offsets[0]);
      width = header(first, rec).labels().length;
    }
    return new RecordIOSource(rec, offsets, width);
  }

  private static long[] scan(Path rec) throws IOException {
    long[] out = new long[1024];
    int n = 0;
    try (RecordIOReader r = RecordIOReader.open(rec)) {
      for (RawRecord x = r.next(); x != null; x = r.next()) {
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n++] = x.offset();
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static ImageRecordHeader header(RawRecord r, Path rec) {
    try {
      return ImageRecordHeader.decode(r.data());
    } catch (IllegalArgumentException e) {
      throw new ImgclassException(rec + ": at byte " + r.offset() + ": not an image record: " + e.getMessage());
    }
  }

  private static String stripExt(String name) {
    return name.endsWith(".rec") ? name.substring(0, name.length() - 4) : name;
  }

  @Override
  public int size() {
    return offsets.length;
  }

  @Override
  public String describe() {
    return rec.toString();
  }

  @Override
  public int labelWidth() {
    return labelWidth;
  }

  @Override
  public Cursor cursor() throws IOException {
    RecordIOReader reader = RecordIOReader.open(rec);
    return new Cursor() {
      @Override
      public Sample read(int i) throws IOException {
        RawRecord r = reader.readAt(offsets[i]);
        ImageRecordHeader h = header(r, rec);
        float[] labels = h.labels();
        if (labels.length != labelWidth) {
          throw new ImgclassException(rec + ": at byte " + r.offset() + ": record has " + labels.length
              + " labels but the first record has " + labelWidth + "; every record must have the same label width");
        }
        return new Sample(h.image(r.data()), labels, rec + " at byte " + r.offset());
      }

      @Override
      public void close() throws IOException {
        reader.close();
      }
    };
  }
}
