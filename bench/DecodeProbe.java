import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.PairList;
import io.imgclass.core.image.*;
import java.nio.ByteBuffer;
import java.nio.file.*;
import java.util.*;
import java.util.stream.*;
import java.lang.management.ManagementFactory;

/**
 * One-thread probe for the speed decision in docs/benchmarks.md: (a) ImageIO decode + our resize
 * + ImageIO encode, versus (b) libmxnet's OpenCV ops (_cvimdecode, _cvimresize) through DJL, then
 * the same ImageIO encode (MXNet 1.9 has no encode operator).
 *   java -cp core/target/classes:$(cat cp) bench/DecodeProbe.java DIR [N]
 */
public class DecodeProbe {
  // Process CPU time (all threads: MXNet runs ops on its engine threads), not wall time: the machine is shared, and CPU time is what each path costs.
  static long cpu() { return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime(); }
  public static void main(String[] a) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.walk(Path.of(a[0]))) {
      files = s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(a.length > 1 ? Integer.parseInt(a[1]) : 300).collect(Collectors.toList());
    }
    List<byte[]> data = new ArrayList<>();
    for (Path p : files) data.add(Files.readAllBytes(p));
    String mode = a.length > 2 ? a[2] : "ab";
    for (int rep = 0; rep < 3 && mode.contains("a"); rep++) {
      long t0 = cpu(), td = 0, tr = 0;
      for (byte[] b : data) {
        long s = cpu();
        Pixels px = ImageCodec.decode(b, ColorMode.COLOR);
        long m = cpu(); td += m - s;
        Pixels r = Resize.shorterSide(px, 256);
        tr += cpu() - m;
        ImageCodec.encode(r, Encoding.JPG, 95);
      }
      long t = cpu() - t0;
      System.out.printf("(a) ImageIO: %.0f img/s per CPU-second; decode %.2f ms, resize %.2f ms, encode %.2f ms per image%n",
          data.size() / (t / 1e9), td / 1e6 / data.size(), tr / 1e6 / data.size(), (t - td - tr) / 1e6 / data.size());
    }
    if (mode.contains("b")) try (NDManager m = NDManager.newBaseManager("MXNet")) {
      for (int rep = 0; rep < 3; rep++) {
        long t0 = cpu(), tdr = 0;
        for (byte[] b : data) {
          long s = cpu();
          try (NDManager sub = m.newSubManager()) {
            NDArray in = sub.create(ByteBuffer.wrap(b), new Shape(b.length), DataType.UINT8);
            PairList<String, Object> p = new PairList<>();
            p.add("flag", 1); p.add("to_rgb", true);
            NDArray img = sub.invoke("_cvimdecode", new NDList(in), p).singletonOrThrow();
            long h = img.getShape().get(0), w = img.getShape().get(1);
            int nw, nh; if (h > w) { nw = 256; nh = (int) (h * 256 / w); } else { nh = 256; nw = (int) (w * 256 / h); }
            PairList<String, Object> q = new PairList<>();
            q.add("w", nw); q.add("h", nh); q.add("interp", 1);
            NDArray rs = sub.invoke("_cvimresize", new NDList(img), q).singletonOrThrow();
            byte[] px = rs.toByteArray();
            tdr += cpu() - s;
            ImageCodec.encode(new Pixels(nw, nh, 3, px), Encoding.JPG, 95);
          }
        }
        long t = cpu() - t0;
        System.out.printf("(b) MXNet cv ops: %.0f img/s per CPU-second; decode+resize %.2f ms, encode %.2f ms per image%n",
            data.size() / (t / 1e9), tdr / 1e6 / data.size(), (t - tdr) / 1e6 / data.size());
      }
    }
  }
}
