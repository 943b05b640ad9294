package io.imgclass.core.image;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * JPEG in, JPEG out, pixels never in Java: libjpeg-turbo decodes into a native buffer, OpenCV's
 * {@code cvResize} scales it (a centre crop is a pointer offset), libjpeg-turbo encodes from it.
 * This is im2rec's own pipeline (OpenCV's imdecode, resize and imencode sit on the same two
 * libraries), and it is what makes {@code pack-recordio} faster than it: the Java path spends most
 * of its time in {@link Resize} and in JIT warm-up (docs/benchmarks.md, pack-recordio).
 *
 * <p>Used when both {@link TurboJpeg} and {@link OpenCvResize} are available; {@link
 * #transcode} returns null for anything it does not handle the same way as {@link ImageCodec}
 * (CMYK/YCCK, damaged files), and the caller takes the general path.
 *
 * <p>Not thread-safe: one instance per thread (it owns libjpeg-turbo handles and buffers). Close
 * it to free them.
 */
public final class JpegTranscoder implements AutoCloseable {
  private final TurboJpeg.Lib tj;
  private final boolean scaledDecode;
  private final Pointer decoder;
  private final Pointer encoder;
  private final Memory headers = new Memory(2L * OpenCvResize.CVMAT_SIZE);
  private final IntByReference width = new IntByReference();
  private final IntByReference height = new IntByReference();
  private final IntByReference subsamp = new IntByReference();
  private final IntByReference colorspace = new IntByReference();
  private final NativeLongByReference outSize = new NativeLongByReference();
  private Memory in = new Memory(1);
  private Memory decoded = new Memory(1);
  private Memory resized = new Memory(1);
  private Memory out = new Memory(1);
  private boolean closed;

  private JpegTranscoder(TurboJpeg.Lib tj, boolean scaledDecode) {
    this.tj = tj;
    this.scaledDecode = scaledDecode;
    this.decoder = tj.tjInitDecompress();
    this.encoder = tj.tjInitCompress();
    if (decoder == null || encoder == null) {
      close();
      throw new IllegalStateException("libjpeg-turbo could not allocate a codec");
    }
  }

  /** Whether the native path exists on this machine (libturbojpeg and libopencv_imgproc). */
  public static boolean available() {
    return TurboJpeg.available() && OpenCvResize.available();
  }

  /** A transcoder for the calling thread; requires {@link #available()}. */
  public static JpegTranscoder open() {
    return open(false);
  }

  /**
   * A transcoder for the calling thread; requires {@link #available()}. {@code scaledDecode}: decode
   * large JPEGs at a reduced size first ({@link ScaledDecode}; not im2rec's bytes).
   */
  public static JpegTranscoder open(boolean scaledDecode) {
    if (!available()) {
      throw new IllegalStateException("libturbojpeg and libopencv_imgproc are needed");
    }
    return new JpegTranscoder(TurboJpeg.lib(), scaledDecode);
  }

  /**
   * Reads a JPEG file straight into native memory, decodes it in {@code mode}, optionally crops
   * the centred square ({@link Pixels#centerCrop()}), resizes the shorter side to {@code
   * shorterSide} (0: no resize; {@link Resize#shorterSide} arithmetic) and encodes it at {@code
   * quality} (1..100, 4:2:0 for colour), leaving {@code headroom} bytes free before the JPEG in the
   * returned array (for a record header).
   *
   * @return {@code headroom} bytes, then the JPEG; or null when the file must take the general
   *     path, including when it cannot be read (the general path reports why)
   */
  public byte[] transcode(Path file, ColorMode mode, boolean centerCrop, int shorterSide, int quality, int headroom) {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    int n;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 4 || size > Integer.MAX_VALUE - 16) {
        return null;
      }
      n = (int) size;
      in = ensure(in, n);
      ByteBuffer buf = in.getByteBuffer(0, n);
      while (buf.hasRemaining()) {
        if (ch.read(buf) < 0) {
          return null; // shrank while reading
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    if ((in.getByte(0) & 0xff) != 0xFF || (in.getByte(1) & 0xff) != 0xD8) {
      return null;
    }
    return transcodeInput(n, mode, centerCrop, shorterSide, quality, headroom);
  }

  /** The JPEG of {@code inLength} bytes in {@link #in}, transcoded as {@link #transcode} says. */
  private byte[] transcodeInput(int inLength, ColorMode mode, boolean centerCrop, int shorterSide, int quality, int headroom) {
    NativeLong size = new NativeLong(inLength);
    if (tj.tjDecompressHeader3(decoder, in, size, width, height, subsamp, colorspace) != 0) {
      return null;
    }
    int pf = TurboJpeg.pixelFormat(colorspace.getValue(), mode);
    if (pf < 0) {
      return null;
    }
    boolean grey = pf == TurboJpeg.TJPF_GRAY;
    int cn = grey ? 1 : 3;
    int w = width.getValue();
    int h = height.getValue();
    if (w <= 0 || h <= 0 || (long) w * h * cn > Integer.MAX_VALUE - 16 || !ImageLimits.allows(w, h)) {
      return null; // the general path decodes or refuses it (ImageLimits) with the reason
    }
    // The output size always comes from the full image, so a scaled decode ends at the same size.
    int[] dims = shorterSide > 0
        ? Resize.shorterSideDims(centerCrop ? Math.min(w, h) : w, centerCrop ? Math.min(w, h) : h, shorterSide)
        : null;
    int n = scaledDecode ? ScaledDecode.denominator(w, h, shorterSide) : 1;
    w = ScaledDecode.scaled(w, n);
    h = ScaledDecode.scaled(h, n);
    decoded = ensure(decoded, (long) w * h * cn);
    // flags 0: accurate integer IDCT and fancy upsampling, as OpenCV decodes. A size of 1/n of the
    // image's selects libjpeg-turbo's 1/n DCT scaling.
    if (tj.tjDecompress2(decoder, in, size, decoded, w, 0, h, pf, 0) != 0) {
      return null; // an error or a warning (e.g. truncated data): ImageIO judges the file
    }
    Pointer px = decoded;
    int stride = w * cn;
    if (centerCrop && w != h) {
      int side = Math.min(w, h);
      px = decoded.share((long) ((h - side) / 2) * stride + (long) ((w - side) / 2) * cn);
      w = side;
      h = side;
    }
    if (dims != null) {
      if (dims[0] != w || dims[1] != h) {
        resized = ensure(resized, (long) dims[0] * dims[1] * cn);
        OpenCvResize.resize(px, w, h, stride, cn, resized, dims[0], dims[1], headers, headers.share(OpenCvResize.CVMAT_SIZE));
        px = resized;
        w = dims[0];
        h = dims[1];
        stride = w * cn;
      }
    }
    int ss = grey ? TurboJpeg.TJSAMP_GRAY : TurboJpeg.TJSAMP_420;
    long bound = tj.tjBufSize(w, h, ss).longValue();
    if (bound <= 0) {
      return null;
    }
    out = ensure(out, bound);
    PointerByReference dst = new PointerByReference(out);
    outSize.setValue(new NativeLong(bound));
    int q = Math.max(1, Math.min(100, quality));
    if (tj.tjCompress2(encoder, px, w, stride, h, pf, dst, outSize, ss, q, TurboJpeg.TJFLAG_NOREALLOC | TurboJpeg.TJFLAG_ACCURATEDCT) != 0) {
      return null;
    }
    int len = (int) outSize.getValue().longValue();
    byte[] result = new byte[headroom + len];
    out.read(0, result, headroom, len);
    return result;
  }

  /** A buffer of at least {@code n} bytes: the old one, or a larger one (the old one freed). */
  private static Memory ensure(Memory m, long n) {
    if (m.size() >= n) {
      return m;
    }
    m.close();
    return new Memory(Math.max(n, m.size() + m.size() / 2));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (decoder != null) {
      tj.tjDestroy(decoder);
    }
    if (encoder != null) {
      tj.tjDestroy(encoder);
    }
    for (Memory m : new Memory[] {headers, in, decoded, resized, out}) {
      m.close();
    }
  }
}
