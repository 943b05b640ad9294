import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.imgclass.core.model.EngineKind;
import io.imgclass.core.model.ImageShape;
import io.imgclass.core.model.ModelArchive;
import io.imgclass.core.model.ModelArtifact;
import io.imgclass.core.model.Network;
import io.imgclass.core.model.NetworkRunner;
import io.imgclass.core.model.Networks;
import io.imgclass.core.model.RunOptions;
import io.imgclass.core.onnx.OnnxExport;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Engine levers, interleaved: forward-pass time of one model.tar.gz on MXNet (symbol mode) and on
 * ONNX Runtime (as predict runs it, and with ORT's session options varied through its Java API),
 * batch 32 and batch 1, random raw inputs. Prints the median per variant per round and overall.
 *
 *   java -cp 'dist/target/lib/*' bench/EngineBench.java MODEL.tar.gz [ROUNDS] [B32_PASSES] [B1_PASSES]
 */
public class EngineBench {
  static long[] SHAPE;
  interface Runner extends AutoCloseable {
    void run(float[] flat, int n) throws Exception;
    // Closing frees native memory and cannot be interrupted; OrtException is wrapped where thrown.
    @Override void close();
  }

  public static void main(String[] args) throws Exception {
    ModelArtifact a = ModelArchive.read(Path.of(args[0]));
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int p32 = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int p1 = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    ImageShape s = a.imageShape();
    SHAPE = new long[] {s.channels(), s.height(), s.width()};
    byte[] onnxFolded = OnnxExport.convert(a.graph(), a.params(), s, List.of(), new OnnxExport.Options(true)).toByteArray();
    byte[] onnxPlain = OnnxExport.convert(a.graph(), a.params(), s, List.of(), new OnnxExport.Options(false)).toByteArray();
    int threads = Integer.parseInt(System.getenv().getOrDefault("OMP_NUM_THREADS", "" + Runtime.getRuntime().availableProcessors()));
    Map<String, Supplier<Runner>> variants = new java.util.LinkedHashMap<>();
    variants.put("mxnet", () -> network(a, EngineKind.MXNET));
    variants.put("ort(predict)", () -> network(a, EngineKind.ONNXRUNTIME));
    variants.put("ort-raw all-opt spin", () -> ort(onnxFolded, threads, OrtSession.SessionOptions.OptLevel.ALL_OPT, true));
    variants.put("ort-raw all-opt nospin", () -> ort(onnxFolded, threads, OrtSession.SessionOptions.OptLevel.ALL_OPT, false));
    variants.put("ort-raw basic unfolded", () -> ort(onnxPlain, threads, OrtSession.SessionOptions.OptLevel.BASIC_OPT, true));
    variants.put("ort-raw no-opt unfolded", () -> ort(onnxPlain, threads, OrtSession.SessionOptions.OptLevel.NO_OPT, true));
    String only = System.getenv("VARIANTS");
    if (only != null) {
      variants.keySet().retainAll(Arrays.asList(only.split(",")));
    }
    SplittableRandom r = new SplittableRandom(1);
    float[] x32 = new float[32 * s.size()];
    for (int i = 0; i < x32.length; i++) {
      x32[i] = r.nextInt(256);
    }
    float[] x1 = Arrays.copyOf(x32, s.size());
    Map<String, List<Double>> b32 = new TreeMap<>();
    Map<String, List<Double>> b1 = new TreeMap<>();
    for (int round = 1; round <= rounds; round++) {
      for (var e : variants.entrySet()) {
        try (Runner run = e.getValue().get()) {
          run.run(x32, 32); // warm-up
          double t32 = median(time(run, x32, 32, p32)) ;
          run.run(x1, 1);
          double t1 = median(time(run, x1, 1, p1));
          b32.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(32_000 / t32);
          b1.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(t1);
          System.out.printf("round %d %-24s b32 %7.1f img/s  b1 %7.2f ms  load %s%n", round, e.getKey(), 32_000 / t32, t1,
              new String(java.nio.file.Files.readAllBytes(Path.of("/proc/loadavg"))).split(" ")[0]);
        }
      }
    }
    System.out.println("medians over rounds:");
    for (String k : variants.keySet()) {
      System.out.printf("  %-24s b32 %7.1f img/s  b1 %7.2f ms%n", k, median(b32.get(k)), median(b1.get(k)));
    }
  }

  static List<Double> time(Runner run, float[] x, int n, int passes) throws Exception {
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < passes; i++) {
      long t = System.nanoTime();
      run.run(x, n);
      ms.add((System.nanoTime() - t) / 1e6);
    }
    return ms;
  }

  static double median(List<Double> v) {
    List<Double> c = new ArrayList<>(v);
    c.sort(null);
    int n = c.size();
    return n % 2 == 1 ? c.get(n / 2) : (c.get(n / 2 - 1) + c.get(n / 2)) / 2;
  }

  static Runner network(ModelArtifact a, EngineKind k) {
    Network net = Networks.open(a.graph(), a.params(), a.imageShape(), new RunOptions(k, 0, NetworkRunner.Mode.SYMBOL));
    int size = a.imageShape().size();
    return new Runner() {
      public void run(float[] flat, int n) {
        float[][] im = new float[n][];
        for (int i = 0; i < n; i++) {
          im[i] = Arrays.copyOfRange(flat, i * size, (i + 1) * size);
        }
        net.predict(im);
      }
      public void close() {
        net.close();
      }
    };
  }

  static Runner ort(byte[] model, int threads, OrtSession.SessionOptions.OptLevel level, boolean spin) {
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions so = new OrtSession.SessionOptions();
      so.setOptimizationLevel(level);
      so.setIntraOpNumThreads(threads);
      so.setInterOpNumThreads(1);
      so.addConfigEntry("session.intra_op.allow_spinning", spin ? "1" : "0");
      OrtSession session = env.createSession(model, so);

      return new Runner() {
        public void run(float[] flat, int n) throws Exception {
          long[] shape = {n, SHAPE[0], SHAPE[1], SHAPE[2]};
          try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(flat), shape);
              OrtSession.Result res = session.run(Map.of("data", t))) {
            res.get(0).getValue();
          }
        }
        public void close() {
          try {
            session.close();
          } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalStateException(e);
          }
          so.close();
        }
      };
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }
}
