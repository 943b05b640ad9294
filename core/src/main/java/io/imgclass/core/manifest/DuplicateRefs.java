package io.imgclass.core.manifest;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds lines whose image reference already appeared, in bounded memory: each reference is reduced
 * to a 64-bit hash paired with its line number; pairs collect in a fixed-size buffer that is sorted
 * and spilled to a temporary file when full, and the sorted runs are merged at the end. Memory is at
 * most {@code 16 * chunk} bytes whatever the manifest's size; disk is 16 bytes per line for files
 * larger than one chunk.
 *
 * <p>Two different references share a hash with probability about n²/2⁶⁵ (3·10⁻⁶ for ten million
 * lines); such a pair would be reported as a duplicate warning.
 */
final class DuplicateRefs implements Closeable {
  /** A duplicate: {@code line} repeats the reference first seen on {@code firstLine}. */
  record Duplicate(long line, long firstLine) {}

  private final int chunk;
  private long[] hashes;
  private long[] lines;
  private int size;
  private final List<Path> runs = new ArrayList<>();

  DuplicateRefs(int chunk) {
    this.chunk = chunk;
    int initial = Math.min(chunk, 1 << 14);
    hashes = new long[initial];
    lines = new long[initial];
  }

  /** Adds the reference {@code ref[0, len)} seen on {@code line}. */
  void add(char[] ref, int len, long line) throws IOException {
    if (size == hashes.length) {
      if (size < chunk) {
        int n = Math.min(chunk, size * 2);
        hashes = java.util.Arrays.copyOf(hashes, n);
        lines = java.util.Arrays.copyOf(lines, n);
      } else {
        spill();
      }
    }
    hashes[size] = hash(ref, len);
    lines[size] = line;
    size++;
  }

  /** FNV-1a over the UTF-16 units, then MurmurHash3's fmix64 so that all 64 bits are mixed. */
  static long hash(char[] s, int len) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < len; i++) {
      h = (h ^ s[i]) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h ^ len;
  }

  private void spill() throws IOException {
    sort(hashes, lines, 0, size - 1);
    Path f = Files.createTempFile("imgclass-refs-", ".run");
    // close() deletes the runs; this covers a JVM stopped before it gets there.
    f.toFile().deleteOnExit();
    runs.add(f);
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(f), 1 << 16))) {
      for (int i = 0; i < size; i++) {
        out.writeLong(hashes[i]);
        out.writeLong(lines[i]);
      }
    }
    size = 0;
  }

  /** Hands every duplicate to {@code sink}, grouped by reference, later lines after the first. */
  void finish(java.util.function.Consumer<Duplicate> sink) throws IOException {
    if (runs.isEmpty()) {
      sort(hashes, lines, 0, size - 1);
      for (int i = 1; i < size; i++) {
        int first = i - 1;
        while (i < size && hashes[i] == hashes[first]) {
          sink.accept(new Duplicate(lines[i], lines[first]));
          i++;
        }
      }
      return;
    }
    if (size > 0) {
      spill();
    }
    hashes = null;
    lines = null;
    merge(sink);
  }

  private void merge(java.util.function.Consumer<Duplicate> sink) throws IOException {
    int k = runs.size();
    DataInputStream[] ins = new DataInputStream[k];
    long[] headHash = new long[k];
    long[] headLine = new long[k];
    boolean[] live = new boolean[k];
    try {
      for (int r = 0; r < k; r++) {
        ins[r] = new DataInputStream(new BufferedInputStream(Files.newInputStream(runs.get(r)), 1 << 16));
        live[r] = advance(ins[r], headHash, headLine, r);
      }
      long prevHash = 0;
      long firstLine = -1;
      while (true) {
        // Few runs (one per 2 Mi lines): a linear scan for the smallest head beats a heap.
        int best = -1;
        for (int r = 0; r < k; r++) {
          if (live[r] && (best < 0 || compare(headHash[r], headLine[r], headHash[best], headLine[best]) < 0)) {
            best = r;
          }
        }
        if (best < 0) {
          break;
        }
        if (firstLine >= 0 && headHash[best] == prevHash) {
          sink.accept(new Duplicate(headLine[best], firstLine));
        } else {
          prevHash = headHash[best];
          firstLine = headLine[best];
        }
        live[best] = advance(ins[best], headHash, headLine, best);
      }
    } finally {
      for (DataInputStream in : ins) {
        if (in != null) {
          in.close();
        }
      }
    }
  }

  private static boolean advance(DataInputStream in, long[] h, long[] l, int r) throws IOException {
    try {
      h[r] = in.readLong();
      l[r] = in.readLong();
      return true;
    } catch (EOFException end) {
      return false;
    }
  }

  /** Sorts both arrays by (hash, line), three-way so that many equal hashes stay cheap. */
  private static void sort(long[] h, long[] l, int lo, int hi) {
    while (hi - lo > 16) {
      int m = (lo + hi) >>> 1;
      long ph = h[m];
      long pl = l[m];
      int lt = lo;
      int gt = hi;
      int i = lo;
      while (i <= gt) {
        int c = compare(h[i], l[i], ph, pl);
        if (c < 0) {
          swap(h, l, lt++, i++);
        } else if (c > 0) {
          swap(h, l, i, gt--);
        } else {
          i++;
        }
      }
      // Recurse into the smaller side, loop on the larger: stack depth stays O(log n).
      if (lt - lo < hi - gt) {
        sort(h, l, lo, lt - 1);
        lo = gt + 1;
      } else {
        sort(h, l, gt + 1, hi);
        hi = lt - 1;
      }
    }
    for (int i = lo + 1; i <= hi; i++) {
      for (int j = i; j > lo && compare(h[j], l[j], h[j - 1], l[j - 1]) < 0; j--) {
        swap(h, l, j, j - 1);
      }
    }
  }

  private static int compare(long h1, long l1, long h2, long l2) {
    return h1 != h2 ? Long.compare(h1, h2) : Long.compare(l1, l2);
  }

  private static void swap(long[] h, long[] l, int i, int j) {
    long t = h[i];
    h[i] = h[j];
    h[j] = t;
    t = l[i];
    l[i] = l[j];
    l[j] = t;
  }

  @Override
  public void close() throws IOException {
    for (Path p : runs) {
      Files.deleteIfExists(p);
    }
    runs.clear();
  }
}
