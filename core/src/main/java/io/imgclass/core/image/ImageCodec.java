package io.imgclass.core.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageWriterSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Decodes and encodes images through ImageIO with the TwelveMonkeys JPEG plugin, which adds CMYK,
 * YCCK and Adobe JPEGs and broken ICC profiles. The JDK's own PNG reader handles 16-bit, palette,
 * grey+alpha and RGBA PNGs; every sample is reduced to 8 bits here ({@code v >> 8}, as OpenCV's
 * {@code IMREAD_COLOR} does) instead of passing through the JDK's colour conversion, which would
 * treat 16-bit grey as linear light and brighten it.
 *
 * <p>Colour modes follow OpenCV's imread flags: {@link ColorMode#COLOR} drops alpha without
 * blending and expands grey; {@link ColorMode#GRAY} uses OpenCV's {@code cvtColor} weights
 * (0.299 R + 0.587 G + 0.114 B, 14-bit fixed point).
 *
 * <p>JPEGs go through libjpeg-turbo ({@link TurboJpeg}) when the system has it, like OpenCV;
 * everything else, and JPEGs it declines (CMYK, YCCK, damaged), through ImageIO.
 *
 * <p>Thread-safe: every call creates its own reader and writer.
 */
public final class ImageCodec {
  static {
    // ImageIO's disk cache would make every decode touch a temporary file.
    ImageIO.setUseCache(false);
  }

  // Looked up once: ImageIO.getImageWritersByFormatName instantiates every registered writer
  // (each JDK JPEG writer allocates native libjpeg state), which cost more than the encoding.
  private static final ImageWriterSpi JPEG_WRITER = writerSpi("jpeg");
  private static final ImageWriterSpi PNG_WRITER = writerSpi("png");

  private ImageCodec() {}

  /** The JDK's writer for a format (its JPEG writer is the native libjpeg one), else any. */
  private static ImageWriterSpi writerSpi(String format) {
    ImageWriterSpi any = null;
    Iterator<ImageWriterSpi> it =
        IIORegistry.getDefaultInstance().getServiceProviders(ImageWriterSpi.class, true);
    while (it.hasNext()) {
      ImageWriterSpi spi = it.next();
      if (java.util.Arrays.asList(spi.getFormatNames()).contains(format)) {
        if (spi.getClass().getName().startsWith("com.sun.")) {
          return spi;
        }
        any = any == null ? spi : any;
      }
    }
    if (any == null) {
      throw new IllegalStateException("no ImageIO writer for " + format);
    }
    return any;
  }

  /** Decodes JPEG, PNG, BMP, GIF or TIFF bytes. */
  public static Pixels decode(byte[] bytes, ColorMode mode) throws ImageDecodeException {
    if (bytes.length == 0) {
      throw new ImageDecodeException("empty file (0 bytes)");
    }
    if (bytes.length > 3 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xD8 && TurboJpeg.available()) {
      Pixels fast = TurboJpeg.decode(bytes, mode);
      if (fast != null) {
        return fast;
      }
    }
    return decodeImageIo(bytes, mode);
  }

  /** The ImageIO path alone (package-private so tests can compare it with libjpeg-turbo). */
  static Pixels decodeImageIo(byte[] bytes, ColorMode mode) throws ImageDecodeException {
    BufferedImage img;
    try (ImageInputStream iis = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
      if (!readers.hasNext()) {
        throw new ImageDecodeException("not a recognised image format");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(iis, true, true);
        // From the header alone, before the reader allocates the raster.
        ImageLimits.check(reader.getWidth(0), reader.getHeight(0));
        img = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new ImageDecodeException("cannot decode: " + m.replace('\n', ' '), e);
    }
    if (img == null) {
      throw new ImageDecodeException("cannot decode: no image in file");
    }
    return fromBufferedImage(img, mode, true);
  }

  /** Converts a decoded image to 8-bit pixels in the requested colour mode. */
  public static Pixels fromBufferedImage(BufferedImage img, ColorMode mode) {
    return fromBufferedImage(img, mode, false);
  }

  /** {@code owned}: the image is not used afterwards, so its pixel array may be taken over. */
  private static Pixels fromBufferedImage(BufferedImage img, ColorMode mode, boolean owned) {
    int w = img.getWidth();
    int h = img.getHeight();
    Pixels native8 = toNative(img, owned);
    int cn = native8.channels();
    byte[] s = native8.data();
    switch (mode) {
      case UNCHANGED:
        return native8;
      case COLOR:
        if (cn == 3) {
          return native8;
        }
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0, n = w * h; i < n; i++) {
          if (cn == 1) {
            byte g = s[i];
            rgb[3 * i] = g;
            rgb[3 * i + 1] = g;
            rgb[3 * i + 2] = g;
          } else {
            rgb[3 * i] = s[4 * i];
            rgb[3 * i + 1] = s[4 * i + 1];
            rgb[3 * i + 2] = s[4 * i + 2];
          }
        }
        return new Pixels(w, h, 3, rgb);
      case GRAY:
      default:
        if (cn == 1) {
          return native8;
        }
        byte[] g = new byte[w * h];
        for (int i = 0, n = w * h; i < n; i++) {
          int r = s[cn * i] & 0xff;
          int gg = s[cn * i + 1] & 0xff;
          int b = s[cn * i + 2] & 0xff;
          g[i] = (byte) ((r * 4899 + gg * 9617 + b * 1868 + (1 << 13)) >> 14);
        }
        return new Pixels(w, h, 1, g);
    }
  }

  /** The image's own channels (1 grey, 3 RGB, 4 RGBA; grey+alpha becomes RGBA), 8-bit. */
  private static Pixels toNative(BufferedImage img, boolean owned) {
    int w = img.getWidth();
    int h = img.getHeight();
    int type = img.getType();
    Raster r = img.getRaster();
    if (type == BufferedImage.TYPE_3BYTE_BGR && r.getDataBuffer() instanceof DataBufferByte db
        && r.getParent() == null && db.getNumBanks() == 1 && db.getOffset() == 0) {
      // The common JPEG case: one array, BGR interleaved with no padding.
      byte[] bgr = db.getData();
      if (bgr.length == w * h * 3 && owned) {
        // The decoder's array is ours alone: swap B and R in place instead of copying 3 bytes/pixel.
        for (int i = 0; i < bgr.length; i += 3) {
          byte b = bgr[i];
          bgr[i] = bgr[i + 2];
          bgr[i + 2] = b;
        }
        return new Pixels(w, h, 3, bgr);
      }
    }
    if (type == BufferedImage.TYPE_BYTE_GRAY && r.getDataBuffer() instanceof DataBufferByte db
        && r.getParent() == null && db.getOffset() == 0 && db.getData().length == w * h) {
      return new Pixels(w, h, 1, owned ? db.getData() : db.getData().clone());
    }
    ColorModel cm = img.getColorModel();
    if (cm instanceof IndexColorModel icm) {
      boolean alpha = icm.hasAlpha();
      boolean grey = isGreyPalette(icm);
      int cn = grey && !alpha ? 1 : alpha ? 4 : 3;
      byte[] out = new byte[w * h * cn];
      int[] row = new int[w];
      int o = 0;
      for (int y = 0; y < h; y++) {
        r.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          int p = row[x];
          if (cn == 1) {
            out[o++] = (byte) icm.getRed(p);
          } else {
            out[o++] = (byte) icm.getRed(p);
            out[o++] = (byte) icm.getGreen(p);
            out[o++] = (byte) icm.getBlue(p);
            if (cn == 4) {
              out[o++] = (byte) icm.getAlpha(p);
            }
          }
        }
      }
      return new Pixels(w, h, cn, out);
    }
    int bands = r.getNumBands();
    int colorBands = cm.getNumColorComponents();
    boolean hasAlpha = cm.hasAlpha();
    if (cm.getColorSpace().getType() != ColorSpace.TYPE_RGB
        && cm.getColorSpace().getType() != ColorSpace.TYPE_GRAY) {
      // CMYK or other spaces the reader did not convert: let Java2D convert to sRGB.
      BufferedImage conv = new BufferedImage(w, h, hasAlpha ? BufferedImage.TYPE_4BYTE_ABGR : BufferedImage.TYPE_3BYTE_BGR);
      java.awt.Graphics2D g = conv.createGraphics();
      g.drawImage(img, 0, 0, null);
      g.dispose();
      return toNative(conv, true);
    }
    int cn = colorBands == 1 ? (hasAlpha ? 4 : 1) : (hasAlpha ? 4 : 3);
    int[] shift = new int[bands];
    for (int b = 0; b < bands; b++) {
      shift[b] = Math.max(0, r.getSampleModel().getSampleSize(b) - 8);
    }
    byte[] out = new byte[w * h * cn];
    int[] row = new int[w * bands];
    int o = 0;
    for (int y = 0; y < h; y++) {
      r.getPixels(0, y, w, 1, row);
      for (int x = 0; x < w; x++) {
        int base = x * bands;
        if (colorBands == 1) {
          int g = row[base] >>> shift[0];
          out[o++] = (byte) g;
          if (cn == 4) {
            out[o++] = (byte) g;
            out[o++] = (byte) g;
            out[o++] = (byte) (row[base + 1] >>> shift[1]);
          }
        } else {
          out[o++] = (byte) (row[base] >>> shift[0]);
          out[o++] = (byte) (row[base + 1] >>> shift[1]);
          out[o++] = (byte) (row[base + 2] >>> shift[2]);
          if (cn == 4) {
            out[o++] = (byte) (row[base + 3] >>> shift[3]);
          }
        }
      }
    }
    return new Pixels(w, h, cn, out);
  }

  private static boolean isGreyPalette(IndexColorModel icm) {
    for (int i = 0; i < icm.getMapSize(); i++) {
      if (icm.getRed(i) != icm.getGreen(i) || icm.getRed(i) != icm.getBlue(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Encodes as im2rec's {@code pack_img} does: JPEG at {@code quality} (1..100), or PNG at
   * compression level {@code quality} (0..9). JPEG cannot hold alpha: RGBA is encoded as RGB.
   */
  public static byte[] encode(Pixels p, Encoding enc, int quality) throws IOException {
    Pixels src = p;
    if (enc == Encoding.JPG && p.channels() == 4) {
      src = dropAlpha(p);
    }
    if (enc == Encoding.JPG && TurboJpeg.available()) {
      byte[] fast = TurboJpeg.encode(src, Math.max(1, Math.min(100, quality)));
      if (fast != null) {
        return fast;
      }
    }
    BufferedImage img = toBufferedImage(src);
    ImageWriter writer = (enc == Encoding.JPG ? JPEG_WRITER : PNG_WRITER).createWriterInstance();
    ByteArrayOutputStream bos = new ByteArrayOutputStream(Math.max(1024, src.data().length / 4));
    try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(bos)) {
      writer.setOutput(ios);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (enc == Encoding.JPG) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(Math.max(1, Math.min(100, quality)) / 100f);
      } else if (param.canWriteCompressed()) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        // The JDK maps quality q to deflate level round(9 * (1 - q)).
        param.setCompressionQuality(1f - Math.max(0, Math.min(9, quality)) / 9f);
      }
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
    return bos.toByteArray();
  }

  private static Pixels dropAlpha(Pixels p) {
    int n = p.width() * p.height();
    byte[] s = p.data();
    byte[] out = new byte[n * 3];
    for (int i = 0; i < n; i++) {
      out[3 * i] = s[4 * i];
      out[3 * i + 1] = s[4 * i + 1];
      out[3 * i + 2] = s[4 * i + 2];
    }
    return new Pixels(p.width(), p.height(), 3, out);
  }

  /** Wraps pixels (no copy) as a BufferedImage in sRGB or linear grey... of the same bytes. */
  public static BufferedImage toBufferedImage(Pixels p) {
    int w = p.width();
    int h = p.height();
    int cn = p.channels();
    if (cn == 1) {
      BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
      System.arraycopy(p.data(), 0, ((DataBufferByte) img.getRaster().getDataBuffer()).getData(), 0, w * h);
      return img;
    }
    int[] offsets = cn == 3 ? new int[] {0, 1, 2} : new int[] {0, 1, 2, 3};
    DataBufferByte db = new DataBufferByte(p.data(), p.data().length);
    PixelInterleavedSampleModel sm =
        new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, w, h, cn, w * cn, offsets);
    WritableRaster raster = Raster.createWritableRaster(sm, db, null);
    ColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB), cn == 4, false,
            cn == 4 ? java.awt.Transparency.TRANSLUCENT : java.awt.Transparency.OPAQUE,
            DataBuffer.TYPE_BYTE);
    return new BufferedImage(cm, raster, false, null);
  }
}
