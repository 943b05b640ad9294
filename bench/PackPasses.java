import io.imgclass.core.pack.*;
import java.lang.management.ManagementFactory;
import java.nio.file.*;
/** Packs one list N=4 times in one JVM: shows JIT warm-up vs steady state (docs/benchmarks.md).
 *   java -cp "dist/target/lib/*" bench/PackPasses.java LIST ROOT THREADS */
public class PackPasses {
  static long cpu() { return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime(); }
  public static void main(String[] a) throws Exception {
    PackConfig cfg = PackConfig.builder(Path.of(a[1])).optResize(256).optQuality(95).optThreads(Integer.parseInt(a[2])).build();
    for (int i = 0; i < 4; i++) {
      long c = cpu();
      PackResult r = new Packer(cfg, null).pack(Path.of(a[0]));
      System.out.printf("pass %d: %.2f s wall, %.2f ms CPU per image%n", i, r.seconds(), (cpu() - c) / 1e6 / r.records());
    }
  }
}
