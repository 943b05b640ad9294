package io.imgclass.core.model;

import io.imgclass.core.ImgclassException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A small POSIX ustar + gzip writer and reader for flat archives ({@code model.tar.gz}), with
 * {@code java.util.zip} only.
 *
 * <p>The reader also takes GNU and PAX archives as Python's {@code tarfile} and GNU tar write them
 * (long names, {@code path}/{@code size} PAX records), plain uncompressed tars, and a leading
 * {@code ./}. It refuses every entry that could land outside a target folder (absolute paths,
 * {@code ..} components, links, devices), so extracting is safe.
 */
public final class TarGz {
  private static final int BLOCK = 512;

  /** One regular file of an archive. */
  public record Entry(String name, byte[] content) {}

  private TarGz() {}

  /** Writes a gzip-compressed ustar archive of flat regular files (mode 0644, mtime given). */
  public static void write(List<Entry> entries, OutputStream out, long mtimeSeconds) throws IOException {
    GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16);
    for (Entry e : entries) {
      checkName(e.name(), "<writing>");
      byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
      if (name.length > 100) {
        throw new IllegalArgumentException("tar member name longer than 100 bytes: " + e.name());
      }
      byte[] h = new byte[BLOCK];
      System.arraycopy(name, 0, h, 0, name.length);
      octal(h, 100, 8, 0644);
      octal(h, 108, 8, 0);
      octal(h, 116, 8, 0);
      octal(h, 124, 12, e.content().length);
      octal(h, 136, 12, mtimeSeconds);
      h[156] = '0';
      System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
      h[263] = '0';
      h[264] = '0';
      java.util.Arrays.fill(h, 148, 156, (byte) ' ');
      long sum = 0;
      for (byte b : h) {
        sum += b & 0xFF;
      }
      // chksum: six octal digits, NUL, space (as GNU tar and Python write it)
      String cs = String.format("%06o", sum);
      System.arraycopy(cs.getBytes(StandardCharsets.US_ASCII), 0, h, 148, 6);
      h[154] = 0;
      h[155] = ' ';
      gz.write(h);
      gz.write(e.content());
      int pad = (BLOCK - e.content().length % BLOCK) % BLOCK;
      gz.write(new byte[pad]);
    }
    gz.write(new byte[2 * BLOCK]);
    gz.finish();
    gz.flush();
  }

  private static void octal(byte[] h, int off, int len, long value) {
    String s = Long.toOctalString(value);
    if (s.length() > len - 1) {
      throw new IllegalArgumentException("value too large for a ustar field: " + value);
    }
    s = "0".repeat(len - 1 - s.length()) + s;
    System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
    h[off + len - 1] = 0;
  }

  /**
   * Reads every regular file of an archive (gzip-compressed or not) into memory, in archive order.
   * Directory entries ({@code ./}) are skipped.
   *
   * @param source file name, for messages
   * @throws ImgclassException naming the source and byte offset for malformed or unsafe entries
   */
  public static Map<String, byte[]> read(InputStream in, String source) throws IOException {
    return read(in, source, ArchiveLimits.current());
  }

  /**
   * As {@link #read(InputStream, String)}, within {@code limits}: a member's size is checked from
   * its header before any of it is read, and the running total before each member.
   */
  public static Map<String, byte[]> read(InputStream in, String source, ArchiveLimits limits) throws IOException {
    long[] at = {0};
    try {
      return readTar(in, source, limits, at);
    } catch (java.io.EOFException | java.util.zip.ZipException e) {
      // java.util.zip says only "Unexpected end of ZLIB input stream": name the file and where.
      String why = e instanceof java.io.EOFException ? "the gzip stream ends early (truncated file?)"
          : "damaged gzip data (" + e.getMessage() + ")";
      throw new ImgclassException(source + ": " + why + ", " + at[0] + " bytes into the tar", e);
    }
  }

  private static Map<String, byte[]> readTar(InputStream in, String source, ArchiveLimits limits, long[] at) throws IOException {
    BufferedInputStream bin = new BufferedInputStream(in, 1 << 16);
    bin.mark(2);
    int b0 = bin.read();
    int b1 = bin.read();
    bin.reset();
    InputStream tin = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(bin, 1 << 16) : bin;
    Map<String, byte[]> out = new LinkedHashMap<>();
    long pos = 0;
    String longName = null;
    String paxPath = null;
    long paxSize = -1;
    byte[] h = new byte[BLOCK];
    while (true) {
      at[0] = pos;
      int got = tin.readNBytes(h, 0, BLOCK);
      if (got == 0) {
        break; // tolerated: some writers omit the end-of-archive blocks
      }
      if (got < BLOCK) {
        throw new ImgclassException(source + ": tar truncated inside the header at byte " + pos);
      }
      if (isZero(h)) {
        break;
      }
      if (!checksumOk(h)) {
        throw new ImgclassException(source + ": bad tar header checksum at byte " + pos + " (not a tar archive?)");
      }
      char type = (char) h[156];
      long size = paxSize >= 0 ? paxSize : parseNumber(h, 124, 12, source, pos);
      String name = longName != null ? longName : paxPath != null ? paxPath : headerName(h);
      long headerAt = pos;
      pos += BLOCK;
      if (size < 0) {
        throw new ImgclassException(source + ": tar entry at byte " + headerAt + " has size " + size);
      }
      long cap = Math.min(limits.memberBytes(), Integer.MAX_VALUE - 8);
      if (size > cap) {
        throw new ImgclassException(source + ": member '" + name + "' (header at byte " + headerAt + ") is " + size
            + " bytes, over the limit of " + cap + " bytes per member; " + ArchiveLimits.howToRaise(true));
      }
      long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
      if (pos + padded > limits.totalBytes()) {
        throw new ImgclassException(source + ": member '" + name + "' (header at byte " + headerAt + ", " + size
            + " bytes) would take the archive past the limit of " + limits.totalBytes() + " bytes in all; "
            + ArchiveLimits.howToRaise(false));
      }
      at[0] = pos;
      byte[] content = tin.readNBytes((int) size);
      if (content.length < size) {
        throw new ImgclassException(source + ": tar truncated inside '" + name + "' (header at byte " + headerAt + ")");
      }
      tin.readNBytes((int) (padded - size));
      pos += padded;
      switch (type) {
        case 'L' -> {
          longName = cString(content);
          continue;
        }
        case 'x' -> {
          for (Map.Entry<String, String> r : pax(content, source, headerAt).entrySet()) {
            if (r.getKey().equals("path")) {
              paxPath = r.getValue();
            } else if (r.getKey().equals("size")) {
              paxSize = Long.parseLong(r.getValue());
            }
          }
          continue;
        }
        case 'g' -> {
          continue; // global PAX header: nothing we use
        }
        default -> {}
      }
      longName = null;
      paxPath = null;
      paxSize = -1;
      String clean = name.startsWith("./") ? name.substring(2) : name;
      if (type == '5') {
        if (!clean.isEmpty()) {
          checkName(clean.endsWith("/") ? clean.substring(0, clean.length() - 1) : clean, source);
        }
        continue;
      }
      if (type != '0' && type != '\0' && type != '7') {
        throw new ImgclassException(
            source + ": refusing tar entry '" + name + "' at byte " + headerAt + " of type '" + type
                + "' (only regular files and folders are accepted; links could escape the target folder)");
      }
      checkName(clean, source + " (tar entry at byte " + headerAt + ")");
      if (out.put(clean, content) != null) {
        throw new ImgclassException(source + ": tar holds '" + clean + "' twice (second at byte " + headerAt + ")");
      }
    }
    return out;
  }

  /**
   * Extracts the archive's regular files under {@code dir} (created if needed). Unsafe names are
   * refused before anything is written.
   */
  public static List<Path> extract(Path archive, Path dir) throws IOException {
    Map<String, byte[]> files;
    try (InputStream in = Files.newInputStream(archive)) {
      files = read(in, archive.toString());
    }
    Path root = dir.toAbsolutePath().normalize();
    List<Path> written = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Path target = root.resolve(e.getKey()).normalize();
      if (!target.startsWith(root) || target.equals(root)) {
        throw new ImgclassException(archive + ": refusing tar entry '" + e.getKey() + "', which escapes " + dir);
      }
      Files.createDirectories(target.getParent());
      Files.write(target, e.getValue());
      written.add(target);
    }
    return written;
  }

  private static void checkName(String name, String source) {
    if (name.isEmpty() || name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*")
        || name.indexOf('\0') >= 0) {
      throw new ImgclassException(source + ": refusing tar entry '" + name + "' (absolute or empty path)");
    }
    for (String part : name.split("[/\\\\]")) {
      if (part.equals("..")) {
        throw new ImgclassException(source + ": refusing tar entry '" + name + "' (it escapes the target folder with ..)");
      }
    }
  }

  private static boolean isZero(byte[] h) {
    for (byte b : h) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean checksumOk(byte[] h) {
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int v = (i >= 148 && i < 156) ? ' ' : h[i];
      unsigned += v & 0xFF;
      signed += (i >= 148 && i < 156) ? ' ' : h[i];
    }
    String field = cString(java.util.Arrays.copyOfRange(h, 148, 156)).strip();
    if (field.isEmpty()) {
      return false;
    }
    try {
      long stored = Long.parseLong(field, 8);
      return stored == unsigned || stored == signed;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static long parseNumber(byte[] h, int off, int len, String source, long pos) {
    if ((h[off] & 0x80) != 0) {
      // GNU base-256 for sizes >= 8 GiB
      long v = h[off] & 0x7F;
      for (int i = off + 1; i < off + len; i++) {
        v = (v << 8) | (h[i] & 0xFF);
      }
      return v;
    }
    String s = cString(java.util.Arrays.copyOfRange(h, off, off + len)).strip();
    if (s.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new ImgclassException(source + ": bad octal number '" + s + "' in the tar header at byte " + pos);
    }
  }

  private static String headerName(byte[] h) {
    String name = cString(java.util.Arrays.copyOfRange(h, 0, 100));
    String magic = new String(h, 257, 5, StandardCharsets.US_ASCII);
    if (magic.equals("ustar")) {
      String prefix = cString(java.util.Arrays.copyOfRange(h, 345, 500));
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
    }
    return name;
  }

  private static String cString(byte[] b) {
    int n = 0;
    while (n < b.length && b[n] != 0) {
      n++;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  private static Map<String, String> pax(byte[] content, String source, long at) {
    Map<String, String> out = new LinkedHashMap<>();
    int i = 0;
    while (i < content.length) {
      int sp = i;
      while (sp < content.length && content[sp] != ' ') {
        sp++;
      }
      int len;
      try {
        len = Integer.parseInt(new String(content, i, sp - i, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new ImgclassException(source + ": bad PAX header at byte " + at);
      }
      if (len <= 0 || i + len > content.length) {
        throw new ImgclassException(source + ": bad PAX record length at byte " + at);
      }
      String rec = new String(content, sp + 1, i + len - sp - 2, StandardCharsets.UTF_8);
      int eq = rec.indexOf('=');
      if (eq > 0) {
        out.put(rec.substring(0, eq), rec.substring(eq + 1));
      }
      i += len;
    }
    return out;
  }
}
