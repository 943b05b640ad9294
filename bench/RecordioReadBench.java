import io.imgclass.recordio.RawRecord;
import io.imgclass.recordio.RecordIOReader;
import io.imgclass.recordio.RecordIOWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Sequential RecordIO read benchmark, compiled and run by bench/recordio-read.sh (not part of the
 * build).
 *
 * <pre>
 *   java RecordioReadBench gen FILE MEGABYTES SEED   # random payloads of 10..200 KB, some split
 *   java RecordioReadBench read FILE [resync]        # one pass: records, payload bytes, seconds
 *   java RecordioReadBench alternate FILE REPEATS    # warm-up, then REPEATS x (cat FILE, our pass)
 * </pre>
 *
 * <p>{@code alternate} runs {@code cat FILE > /dev/null} as a child process and our reader in this
 * JVM, one after the other, so both see the same machine state, and prints each time and the
 * medians. The JVM is warmed up first (three full passes): this is the reader's steady state, as in a
 * training run that reads the file every epoch. The script also times cold single passes in fresh
 * JVMs, which include JIT warm-up and the first touch of the Java heap.
 */
public final class RecordioReadBench {
  private RecordioReadBench() {}

  public static void main(String[] args) throws Exception {
    Locale.setDefault(Locale.ROOT);
    switch (args[0]) {
      case "gen" -> gen(Path.of(args[1]), Long.parseLong(args[2]) << 20, Long.parseLong(args[3]));
      case "read" -> {
        long t0 = System.nanoTime();
        long[] r = pass(Path.of(args[1]), args.length > 2 && args[2].equals("resync"));
        System.out.printf("records %d payload %d checksum %d seconds %.4f%n", r[0], r[1], r[2],
            (System.nanoTime() - t0) / 1e9);
      }
      case "alternate" -> alternate(Path.of(args[1]), Integer.parseInt(args[2]));
      default -> throw new IllegalArgumentException("gen | read | alternate");
    }
  }

  private static void gen(Path file, long bytes, long seed) throws Exception {
    Random rnd = new Random(seed);
    // Slices of one random pool: generating 1 GB with Random itself would dominate the setup time.
    byte[] pool = new byte[16 << 20];
    rnd.nextBytes(pool);
    byte[] magic = {0x0A, 0x23, (byte) 0xD7, (byte) 0xCE};
    long records = 0;
    try (RecordIOWriter w = RecordIOWriter.create(file, null)) {
      while (w.position() < bytes) {
        int len = 10_000 + rnd.nextInt(190_001);
        byte[] p = new byte[len];
        System.arraycopy(pool, rnd.nextInt(pool.length - len), p, 0, len);
        if (rnd.nextInt(50) == 0) {
          System.arraycopy(magic, 0, p, 4 * rnd.nextInt(len / 4), 4); // an occasional split record
        }
        w.write(p);
        records++;
      }
    }
    System.out.println("generated " + file + ": " + records + " records, " + Files.size(file) + " bytes");
  }

  /** One sequential pass; returns {records, payload bytes, checksum}. */
  private static long[] pass(Path file, boolean resync) throws Exception {
    long records = 0;
    long payload = 0;
    long sum = 0;
    try (RecordIOReader r = RecordIOReader.open(file, resync)) {
      RawRecord rec;
      while ((rec = r.next()) != null) {
        byte[] d = rec.data();
        records++;
        payload += d.length;
        // Touch every payload so nothing can be optimised away: one byte in the middle of each.
        if (d.length > 0) {
          sum += d[d.length / 2];
        }
      }
    }
    return new long[] {records, payload, sum};
  }

  private static double catSeconds(Path file) throws Exception {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder("cat", file.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("cat failed");
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void alternate(Path file, int repeats) throws Exception {
    double gb = Files.size(file) / 1e9;
    catSeconds(file);
    // Three warm-up passes: G1 grows the heap over the first passes, touching fresh memory.
    long[] first = pass(file, false);
    pass(file, false);
    pass(file, false);
    double[] cat = new double[repeats];
    double[] ours = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      cat[i] = catSeconds(file);
      long t0 = System.nanoTime();
      long[] r = pass(file, false);
      ours[i] = (System.nanoTime() - t0) / 1e9;
      if (!Arrays.equals(r, first)) {
        throw new IllegalStateException("passes differ");
      }
      System.err.printf("run %d: cat %.3f s, ours %.3f s%n", i + 1, cat[i], ours[i]);
    }
    long t0 = System.nanoTime();
    pass(file, true);
    double resync = (System.nanoTime() - t0) / 1e9;
    double mc = median(cat);
    double mo = median(ours);
    System.out.printf("records %d, payload %d bytes%n", first[0], first[1]);
    System.out.printf("cat  (child process)   median %.3f s  %.2f GB/s%n", mc, gb / mc);
    System.out.printf("ours (warm JVM)        median %.3f s  %.2f GB/s  ratio ours/cat %.2f%n", mo, gb / mo, mc / mo);
    System.out.printf("ours resync mode       one pass %.3f s  %.2f GB/s (what inspect uses)%n", resync, gb / resync);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
