package io.imgclass.core.pack;

import io.imgclass.core.ImgclassException;
import io.imgclass.core.UsageException;
import io.imgclass.core.image.ImageCodec;
import io.imgclass.core.image.Encoding;
import io.imgclass.core.image.ImageDecodeException;
import io.imgclass.core.image.JpegTranscoder;
import io.imgclass.core.image.Pixels;
import io.imgclass.core.image.Resize;
import io.imgclass.core.image.ScaledDecode;
import io.imgclass.core.label.LabelNumbers;
import io.imgclass.core.lst.LstEntry;
import io.imgclass.core.lst.LstReader;
import io.imgclass.recordio.ImageRecordHeader;
import io.imgclass.recordio.RecordIOWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Packs one {@code .lst} into {@code .rec} + {@code .idx} as im2rec.py does (spec §3): record key
 * and IRHeader id = the list index, label = the first label, or all labels after the header with
 * {@code --pack-label} when a line has more than one; records in list order.
 *
 * <p>Differences from im2rec, on purpose: the list is checked first (equal label count on every
 * line; several labels without {@code --pack-label} is an error instead of silent truncation;
 * paths that leave the root are refused; labels that a float32 header cannot hold as a class id, and
 * negative indexes, are refused naming the line; an empty list is an error unless allowed). Images
 * that cannot be read or decoded (or are truncated JPEGs) are skipped into {@code NAME.bad.tsv}
 * (path, reason) instead of crashing; with more than {@code maxBad} of them the run fails after
 * listing them all, and the {@code .rec} is not published. Output goes to
 * temporary names and is renamed at the end.
 *
 * <p>Threads: N workers read, decode, resize and encode; the calling thread writes. At most
 * {@code 4 * N} images are in flight, so memory does not grow with the list.
 */
public final class Packer {
  private final PackConfig config;
  private final ProgressListener progress;
  private boolean allowEmpty;

  public Packer(PackConfig config, ProgressListener progress) {
    this.config = config;
    this.progress = progress == null ? ProgressListener.NONE : progress;
  }

  /**
   * Starts loading the native codecs (JNA, libjpeg-turbo, libopencv_imgproc: about 0.2 s, mostly
   * dynamic linking) on a background thread, so that it overlaps argument parsing and the list
   * check instead of delaying the first image. Idempotent; the JVM's class initialisation lock
   * makes the workers wait for it if it has not finished.
   */
  public static void preloadCodecs() {
    Thread t = new Thread(JpegTranscoder::available, "imgclass-codec-preload");
    t.setDaemon(true);
    t.start();
  }

  /** The outputs for a list: {@code <list without .lst>.rec/.idx/.bad.tsv} beside it. */
  public static Path sibling(Path lst, String ext) {
    String name = lst.getFileName().toString();
    String base = name.endsWith(".lst") ? name.substring(0, name.length() - 4) : name;
    return lst.resolveSibling(base + ext);
  }

  /** What the validation pass learned about a list. */
  record ListCheck(long lines, int labelCount) {}

  /** Checks the whole list before any image is decoded; throws naming {@code file:line}. */
  ListCheck check(Path lst) throws IOException {
    long n = 0;
    int width = -1;
    long firstLine = 0;
    try (LstReader r = LstReader.open(lst)) {
      for (LstEntry e; (e = r.next()) != null; ) {
        n++;
        String where = lst + ":" + r.lineNumber();
        if (width < 0) {
          width = e.labelCount();
          firstLine = r.lineNumber();
        } else if (e.labelCount() != width) {
          throw new ImgclassException(
              where + ": " + e.labelCount() + " label(s), but line " + firstLine + " has " + width
                  + " (every line needs the same number of labels)");
        }
        if (width > 1 && !config.packLabel()) {
          throw new UsageException(
              where + ": " + width + " labels on a line; without --pack-label only the first would be"
                  + " stored (im2rec drops the rest silently). Add --pack-label to store all of them");
        }
        resolve(e.path(), where);
        String bad = LabelNumbers.indexProblem(e.index());
        if (bad == null) {
          // What the header will hold: all labels with --pack-label, else the first, a class id.
          bad = width > 1 ? LabelNumbers.problem(e.labels(), false) : LabelNumbers.problem(e.firstLabel(), true);
        }
        if (bad != null) {
          throw new ImgclassException(where + ": " + bad);
        }
      }
    }
    return new ListCheck(n, Math.max(width, 1));
  }

  /** The image file for a list path; refuses absolute paths and paths that leave the root. */
  Path resolve(String relpath, String where) {
    return io.imgclass.core.lst.ImageRoot.resolve(config.root(), relpath, where);
  }

  /**
   * Whether an empty list may be packed (into an empty .rec and .idx). By default it is an error:
   * an empty .rec only fails later, in training, further from the cause.
   */
  public Packer allowEmpty(boolean allow) {
    this.allowEmpty = allow;
    return this;
  }

  /** Packs {@code lst} into the {@code .rec}/{@code .idx} beside it. */
  public PackResult pack(Path lst) throws IOException {
    return pack(lst, sibling(lst, ".rec"), sibling(lst, ".idx"), sibling(lst, ".bad.tsv"));
  }

  /** Packs {@code lst} into the given outputs. */
  public PackResult pack(Path lst, Path rec, Path idx, Path badReport) throws IOException {
    ListCheck check = check(lst);
    if (check.lines() == 0 && !allowEmpty) {
      throw new ImgclassException(lst + ": the list has no entries, nothing to pack; no .rec was written."
          + " Pass --allow-empty to write an empty .rec and .idx");
    }
    long start = System.nanoTime();
    Path badTemp = badReport.resolveSibling(badReport.getFileName() + ".partial");
    BufferedWriter bad = null;
    long badCount = 0;
    long done = 0;
    AtomicInteger threadNo = new AtomicInteger();
    ThreadFactory tf =
        r -> {
          Thread t = new Thread(r, "imgclass-pack-" + threadNo.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    ExecutorService pool = Executors.newFixedThreadPool(config.threads(), tf);
    // One native transcoder per worker thread, closed once the workers have stopped.
    List<JpegTranscoder> opened = Collections.synchronizedList(new ArrayList<>());
    ThreadLocal<JpegTranscoder> transcoders =
        useNativePath()
            ? ThreadLocal.withInitial(
                () -> {
                  JpegTranscoder t = JpegTranscoder.open(config.scaledDecode());
                  opened.add(t);
                  return t;
                })
            : null;
    RecordIOWriter writer = RecordIOWriter.create(rec, idx);
    boolean ok = false;
    try (LstReader reader = LstReader.open(lst)) {
      ArrayDeque<Future<Encoded>> inFlight = new ArrayDeque<>();
      int window = 4 * config.threads();
      LstEntry e = reader.next();
      while (e != null || !inFlight.isEmpty()) {
        while (e != null && inFlight.size() < window) {
          LstEntry item = e;
          Path file = resolve(item.path(), lst + ":" + reader.lineNumber());
          inFlight.add(pool.submit(() -> encode(item, file, transcoders == null ? null : transcoders.get())));
          e = reader.next();
        }
        Encoded out = await(inFlight.poll());
        if (out.reason() != null) {
          if (bad == null) {
            bad = Files.newBufferedWriter(badTemp, StandardCharsets.UTF_8);
            bad.write("path\treason\n");
          }
          bad.write(out.entry().path() + "\t" + out.reason().replaceAll("[\\t\\r\\n]+", " ") + "\n");
          badCount++;
        } else {
          writer.write(out.entry().index(), out.payload());
        }
        done++;
        progress.progress(done, check.lines(), System.nanoTime() - start);
      }
      if (bad != null) {
        bad.close();
        Files.move(badTemp, badReport, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.deleteIfExists(badReport); // a report from an earlier run would describe other data
      }
      if (badCount > config.maxBad()) {
        throw new ImgclassException(
            lst + ": " + badCount + " of " + check.lines() + " images could not be packed (listed in "
                + badReport + "); " + rec.getFileName() + " was not written. Fix or remove them, or"
                + " allow them with --max-bad " + badCount);
      }
      long records = writer.records();
      writer.close();
      ok = true;
      double secs = (System.nanoTime() - start) / 1e9;
      return new PackResult(lst, rec, idx, records, badCount, bad == null ? null : badReport, Files.size(rec), secs);
    } finally {
      pool.shutdownNow();
      closeWhenStopped(pool, opened);
      if (!ok) {
        writer.abort();
        if (bad != null) {
          try {
            bad.close();
          } catch (IOException ignored) {
            // already failing
          }
        }
        Files.deleteIfExists(badTemp);
      }
    }
  }

  /** The native path: JPEG output without --pass-through (the decoder falls back per file). */
  private boolean useNativePath() {
    return !config.passThrough() && config.encoding() == Encoding.JPG && JpegTranscoder.available();
  }

  /** Frees the transcoders after the workers stop; one still inside native code keeps its own. */
  private static void closeWhenStopped(ExecutorService pool, List<JpegTranscoder> opened) {
    try {
      if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
        return; // freeing buffers a worker still uses would crash the JVM; the OS reclaims them
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      return;
    }
    synchronized (opened) {
      opened.forEach(JpegTranscoder::close);
    }
  }

  private static Encoded await(Future<Encoded> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", ie);
    } catch (ExecutionException ee) {
      Throwable c = ee.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(c);
    }
  }

  /** One worker's output: the record payload, or why the image was skipped. */
  record Encoded(LstEntry entry, byte[] payload, String reason) {}

  /**
   * Reads, decodes, crops, resizes and encodes one image; never throws for a bad image. {@code
   * native}: this thread's transcoder, or null for the Java path only.
   */
  Encoded encode(LstEntry e, Path file, JpegTranscoder nativePath) {
    String notAFile = io.imgclass.core.image.ImageFiles.problem(file);
    if (notAFile != null) {
      return new Encoded(e, null, notAFile.equals("no such file") ? "missing file" : notAFile);
    }
    if (nativePath != null) {
      ImageRecordHeader h = header(e);
      byte[] payload =
          nativePath.transcode(file, config.color(), config.centerCrop(), config.resize(), config.effectiveQuality(), h.encodedSize());
      if (payload != null) {
        h.writeInto(payload);
        return new Encoded(e, payload, null);
      }
      // Not a plain JPEG, unreadable or damaged: the general path decides and reports why.
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException ex) {
      return new Encoded(e, null, "missing file");
    } catch (IOException ex) {
      return new Encoded(e, null, "cannot read: " + ex.getMessage());
    }
    if (bytes.length == 0) {
      return new Encoded(e, null, "empty file (0 bytes)");
    }
    byte[] image;
    if (config.passThrough()) {
      image = bytes;
    } else {
      try {
        Pixels p;
        int[] dims = null;
        if (config.scaledDecode() && config.resize() > 0) {
          // The output size comes from the full image's, as on the default path.
          ScaledDecode.Decoded d = ScaledDecode.decode(bytes, config.color(), config.resize());
          p = d.pixels();
          int side = Math.min(d.fullWidth(), d.fullHeight());
          dims = config.centerCrop()
              ? Resize.shorterSideDims(side, side, config.resize())
              : Resize.shorterSideDims(d.fullWidth(), d.fullHeight(), config.resize());
        } else {
          p = ImageCodec.decode(bytes, config.color());
        }
        if (config.centerCrop()) {
          p = p.centerCrop();
        }
        if (dims != null) {
          p = Resize.to(p, dims[0], dims[1]);
        } else if (config.resize() > 0) {
          p = Resize.shorterSide(p, config.resize());
        }
        image = ImageCodec.encode(p, config.encoding(), config.effectiveQuality());
      } catch (ImageDecodeException ex) {
        return new Encoded(e, null, ex.getMessage());
      } catch (IOException | RuntimeException ex) {
        return new Encoded(e, null, "cannot encode: " + ex);
      }
    }
    // After decoding, so a file cut inside its headers keeps the decoder's "cannot decode" reason.
    String truncated = io.imgclass.core.image.JpegTruncation.check(bytes);
    if (truncated != null) {
      return new Encoded(e, null, truncated); // a bad image: counted against --max-bad
    }
    return new Encoded(e, header(e).encode(image), null);
  }

  private ImageRecordHeader header(LstEntry e) {
    return config.packLabel() && e.labelCount() > 1
        ? ImageRecordHeader.multi(e.floatLabels(), e.index())
        : ImageRecordHeader.single((float) e.firstLabel(), e.index());
  }
}
