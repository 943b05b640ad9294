package io.imgclass.recordio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * MXNet's image record header ({@code IRHeader}, 24 bytes: {@code uint32 flag, float32 label,
 * uint64 id, uint64 id2}) followed, when {@code flag > 0}, by {@code flag} float32 labels (spec
 * §2.5).
 *
 * <p>Writing follows Python's {@code mx.recordio.pack}: a multi-label header has {@code flag =
 * count} and {@code label = 0}. Reading also accepts C++ im2rec's variant, which keeps the first
 * label in {@code label}: whenever {@code flag > 0}, {@link #labels()} comes from the array and
 * {@code label} is ignored.
 *
 * @param flag 0 for a single label, else the number of float labels that follow
 * @param label the single label (meaningless when flag > 0)
 * @param id the image id (im2rec writes the {@code .lst} index)
 * @param id2 always 0 in files MXNet writes
 * @param labelArray the labels after the header; empty when flag == 0
 */
public record ImageRecordHeader(int flag, float label, long id, long id2, float[] labelArray) {
  /** Size of the fixed part. */
  public static final int SIZE = 24;

  public ImageRecordHeader {
    if (flag < 0) {
      throw new IllegalArgumentException("flag must be >= 0, got " + Integer.toUnsignedString(flag));
    }
    labelArray = labelArray == null ? new float[0] : labelArray.clone();
    if (labelArray.length != flag) {
      throw new IllegalArgumentException("flag " + flag + " but " + labelArray.length + " labels");
    }
  }

  /** A single-label header, as {@code pack(IRHeader(0, label, id, 0), ...)} writes it. */
  public static ImageRecordHeader single(float label, long id) {
    return new ImageRecordHeader(0, label, id, 0, new float[0]);
  }

  /** A multi-label header, as {@code pack} writes it for an array label: flag = count, label = 0. */
  public static ImageRecordHeader multi(float[] labels, long id) {
    if (labels.length == 0) {
      throw new IllegalArgumentException("a multi-label header needs at least one label");
    }
    return new ImageRecordHeader(labels.length, 0f, id, 0, labels);
  }

  /** The labels: the array when flag > 0, else {@code [label]}. */
  public float[] labels() {
    return flag > 0 ? labelArray.clone() : new float[] {label};
  }

  /** The number of bytes {@link #encode} puts before the image. */
  public int encodedSize() {
    return SIZE + 4 * flag;
  }

  /** Header + labels + image bytes: the payload of one image record. */
  public byte[] encode(byte[] image) {
    return encode(image, 0, image.length);
  }

  /** Header + labels + {@code image[off, off+len)}. */
  public byte[] encode(byte[] image, int off, int len) {
    byte[] out = new byte[encodedSize() + len];
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(flag).putFloat(label).putLong(id).putLong(id2);
    for (float f : labelArray) {
      b.putFloat(f);
    }
    b.put(image, off, len);
    return out;
  }

  /**
   * Writes the header and labels into {@code payload[0, encodedSize())}, for a caller that has put
   * the image after them already (saves copying the image once more).
   */
  public void writeInto(byte[] payload) {
    if (payload.length < encodedSize()) {
      throw new IllegalArgumentException("payload of " + payload.length + " bytes cannot hold a " + encodedSize() + "-byte header");
    }
    ByteBuffer b = ByteBuffer.wrap(payload, 0, encodedSize()).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(flag).putFloat(label).putLong(id).putLong(id2);
    for (float f : labelArray) {
      b.putFloat(f);
    }
  }

  /**
   * Decodes the header at the start of a payload.
   *
   * @throws IllegalArgumentException if the payload is shorter than the header it declares
   */
  public static ImageRecordHeader decode(byte[] payload) {
    if (payload.length < SIZE) {
      throw new IllegalArgumentException(
          "image record of " + payload.length + " bytes is shorter than the 24-byte IRHeader");
    }
    ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    int flag = b.getInt();
    float label = b.getFloat();
    long id = b.getLong();
    long id2 = b.getLong();
    long need = SIZE + 4L * Integer.toUnsignedLong(flag);
    if (flag < 0 || need > payload.length) {
      throw new IllegalArgumentException(
          "IRHeader flag " + Integer.toUnsignedString(flag) + " declares " + need
              + " bytes of header and labels, but the record has " + payload.length);
    }
    float[] labels = new float[flag];
    for (int i = 0; i < flag; i++) {
      labels[i] = b.getFloat();
    }
    return new ImageRecordHeader(flag, label, id, id2, labels);
  }

  /** The image bytes of a payload whose header is this one. */
  public byte[] image(byte[] payload) {
    return Arrays.copyOfRange(payload, encodedSize(), payload.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageRecordHeader h
        && h.flag == flag
        && Float.compare(h.label, label) == 0
        && h.id == id
        && h.id2 == id2
        && Arrays.equals(h.labelArray, labelArray);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * flag + Float.hashCode(label)) + Long.hashCode(id)) + Arrays.hashCode(labelArray);
  }

  @Override
  public String toString() {
    return "ImageRecordHeader[flag=" + flag + ", label=" + label + ", id=" + id + ", id2=" + id2
        + ", labels=" + Arrays.toString(labelArray) + "]";
  }
}
