package io.imgclass.core.model;

import io.imgclass.core.ImgclassException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MXNet's NDArray list format ({@code .params}, spec §6.1), in pure Java.
 *
 * <p>Writes what MXNet 1.x's {@code MXNDArraySave} writes by default: V2 records, dense, on
 * {@code cpu(0)}, float32. Reads V1, V2, V3 and pre-V1 records of any dense dtype, converting to
 * float32 (float16 and bfloat16 exactly; 64-bit values rounded).
 */
public final class ParamsFile {
  /** kMXAPINDArrayListMagic. */
  static final long LIST_MAGIC = 0x112L;
  /** NDArray record magics. */
  static final int V1_MAGIC = 0xF993FAC8;
  static final int V2_MAGIC = 0xF993FAC9;
  static final int V3_MAGIC = 0xF993FACA;

  private ParamsFile() {}

  /** Writes the set in its map order (V2, dev_type 1, dev_id 0, type_flag 0). */
  public static void write(ParamSet params, OutputStream out) throws IOException {
    BufferedOutputStream o = new BufferedOutputStream(out, 1 << 16);
    ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(LIST_MAGIC).putLong(0).putLong(params.arrays().size());
    flush(b, o);
    for (Tensor t : params.arrays().values()) {
      long[] shape = t.shape();
      b.putInt(V2_MAGIC).putInt(0).putInt(shape.length);
      for (long d : shape) {
        b.putLong(d);
      }
      b.putInt(1).putInt(0).putInt(0);
      flush(b, o);
      float[] d = t.data();
      for (int i = 0; i < d.length; ) {
        int n = Math.min(d.length - i, b.remaining() / 4);
        b.asFloatBuffer().put(d, i, n);
        b.position(b.position() + n * 4);
        i += n;
        flush(b, o);
      }
    }
    b.putLong(params.arrays().size());
    for (String name : params.arrays().keySet()) {
      byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
      b.putLong(bytes.length);
      flush(b, o);
      o.write(bytes);
    }
    flush(b, o);
    o.flush();
  }

  private static void flush(ByteBuffer b, OutputStream o) throws IOException {
    o.write(b.array(), 0, b.position());
    b.clear();
  }

  /**
   * Reads a params file.
   *
   * @param in the bytes
   * @param source file name, for messages
   * @throws ImgclassException naming the source and byte offset on malformed input
   */
  public static ParamSet read(InputStream in, String source) throws IOException {
    Reader r = new Reader(new BufferedInputStream(in, 1 << 16), source);
    try {
      long magic = r.u64();
      if (magic != LIST_MAGIC) {
        throw r.error(0, String.format("not an MXNet NDArray list (magic 0x%x, expected 0x112)", magic));
      }
      r.u64(); // reserved
      long count = r.u64();
      if (count < 0 || count > 1_000_000) {
        throw r.error(16, "implausible array count " + count);
      }
      List<Tensor> arrays = new ArrayList<>();
      for (long i = 0; i < count; i++) {
        arrays.add(readArray(r, i));
      }
      long nameCount = r.u64();
      if (nameCount != 0 && nameCount != count) {
        throw r.error(r.pos - 8, nameCount + " names for " + count + " arrays");
      }
      if (nameCount == 0) {
        throw r.error(r.pos - 8, "the arrays have no names (a params file from save_checkpoint names each arg:/aux:)");
      }
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (int i = 0; i < nameCount; i++) {
        long at = r.pos;
        long len = r.u64();
        if (len < 0 || len > 65536) {
          throw r.error(at, "implausible name length " + len);
        }
        String name = new String(r.bytes((int) len), StandardCharsets.UTF_8);
        if (arrays.get(i) == null) {
          continue; // a "none" array carries no value
        }
        if (out.put(name, arrays.get(i)) != null) {
          throw r.error(at, "duplicate array name '" + name + "'");
        }
      }
      return new ParamSet(out);
    } catch (EOFException e) {
      throw new ImgclassException(source + ": truncated at byte " + r.pos);
    }
  }

  private static Tensor readArray(Reader r, long index) throws IOException {
    long start = r.pos;
    int magic = r.i32();
    long[] shape;
    if (magic == V2_MAGIC || magic == V3_MAGIC) {
      int stype = r.i32();
      if (stype != 0) {
        throw r.error(start, "array " + index + " has storage type " + stype + " (sparse); only dense arrays are supported");
      }
      int ndim = r.i32();
      if (magic == V3_MAGIC && ndim < 0) {
        return null; // unknown shape: a "none" array
      }
      if (ndim == 0 && magic == V2_MAGIC) {
        return null;
      }
      shape = dims64(r, ndim, start);
    } else if (magic == V1_MAGIC) {
      int ndim = r.i32();
      if (ndim == 0) {
        return null;
      }
      shape = dims64(r, ndim, start);
    } else {
      // Pre-V1: the first word is ndim, followed by uint32 dims.
      int ndim = magic;
      if (ndim == 0) {
        return null;
      }
      if (ndim < 0 || ndim > 32) {
        throw r.error(start, String.format("array %d: unknown NDArray magic 0x%08x", index, magic));
      }
      shape = new long[ndim];
      for (int d = 0; d < ndim; d++) {
        shape[d] = Integer.toUnsignedLong(r.i32());
      }
    }
    r.i32(); // dev_type: where it was saved does not matter once loaded
    r.i32(); // dev_id
    int typeFlag = r.i32();
    long n = ShapeInference.numel(shape);
    if (n > Integer.MAX_VALUE - 8) {
      throw r.error(start, "array " + index + " shape " + Arrays.toString(shape) + " is too large");
    }
    int width = switch (typeFlag) {
      case 0, 4, 10 -> 4;
      case 1, 6, 11 -> 8;
      case 2, 8, 9, 12 -> 2;
      case 3, 5, 7 -> 1;
      default -> throw r.error(r.pos - 4, "array " + index + " has unknown type_flag " + typeFlag);
    };
    long bytes = n * width;
    if (bytes > Integer.MAX_VALUE - 8) {
      throw r.error(start, "array " + index + " shape " + Arrays.toString(shape) + " is too large (" + bytes + " bytes)");
    }
    // The shape is input: allocate for it only once the stream vouches for that many bytes (a
    // byte array or file says how many remain); otherwise read the bytes as they come first, so
    // a header that lies costs what really arrives, not what it claims.
    byte[] pre = null;
    if (r.in.available() < bytes) {
      pre = r.in.readNBytes((int) bytes);
      r.pos += pre.length;
      if (pre.length < bytes) {
        throw new EOFException();
      }
    }
    float[] data = new float[(int) n];
    int chunk = Math.max(1, (1 << 16) / width);
    for (int i = 0; i < n; i += chunk) {
      int m = (int) Math.min(chunk, n - i);
      ByteBuffer b = (pre != null ? ByteBuffer.wrap(pre, i * width, m * width) : ByteBuffer.wrap(r.bytes(m * width)))
          .order(ByteOrder.LITTLE_ENDIAN);
      for (int k = 0; k < m; k++) {
        data[i + k] = switch (typeFlag) {
          case 0 -> b.getFloat();
          case 1 -> (float) b.getDouble();
          case 2 -> halfToFloat(b.getShort());
          case 3 -> b.get() & 0xFF;
          case 4 -> b.getInt();
          case 5 -> b.get();
          case 6 -> b.getLong();
          case 7 -> b.get() != 0 ? 1f : 0f;
          case 8 -> b.getShort();
          case 9 -> b.getShort() & 0xFFFF;
          case 10 -> Integer.toUnsignedLong(b.getInt());
          case 11 -> unsignedLongToFloat(b.getLong());
          case 12 -> Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
          default -> throw new IllegalStateException();
        };
      }
    }
    return new Tensor(shape, data);
  }

  private static float unsignedLongToFloat(long v) {
    return v >= 0 ? v : new java.math.BigInteger(Long.toUnsignedString(v)).floatValue();
  }

  /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(short h) {
    int bits = h & 0xFFFF;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1F;
    int mant = bits & 0x3FF;
    if (exp == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f; // subnormal (or zero): mant * 2^-24
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  private static long[] dims64(Reader r, int ndim, long start) throws IOException {
    if (ndim < 0 || ndim > 32) {
      throw r.error(start, "implausible ndim " + ndim);
    }
    long[] shape = new long[ndim];
    for (int d = 0; d < ndim; d++) {
      shape[d] = r.u64();
      if (shape[d] < 0) {
        throw r.error(start, "negative dimension " + shape[d]);
      }
    }
    return shape;
  }

  /** Little-endian reader that tracks the byte offset for messages. */
  private static final class Reader {
    final InputStream in;
    final String source;
    long pos;
    final byte[] small = new byte[8];

    Reader(InputStream in, String source) {
      this.in = in;
      this.source = source;
    }

    byte[] bytes(int n) throws IOException {
      byte[] b = new byte[n];
      int got = in.readNBytes(b, 0, n);
      pos += got;
      if (got < n) {
        throw new EOFException();
      }
      return b;
    }

    long u64() throws IOException {
      int got = in.readNBytes(small, 0, 8);
      pos += got;
      if (got < 8) {
        throw new EOFException();
      }
      return ByteBuffer.wrap(small).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    int i32() throws IOException {
      int got = in.readNBytes(small, 0, 4);
      pos += got;
      if (got < 4) {
        throw new EOFException();
      }
      return ByteBuffer.wrap(small, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    ImgclassException error(long at, String msg) {
      return new ImgclassException(source + ": byte " + at + ": " + msg);
    }
  }
}
