import io.imgclass.core.data.RecordIOSource;
import io.imgclass.core.data.Sample;
import io.imgclass.core.data.SampleSource;
import io.imgclass.core.image.Pixels;
import io.imgclass.core.train.Channel;
import io.imgclass.core.train.Hyperparameters;
import io.imgclass.core.train.TrainRequest;
import io.imgclass.core.train.TrainingJob;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Training throughput of `imgclass train` in one JVM (start-up excluded), for bench/train-bench.sh.
 *
 *   java -cp 'dist/target/lib/*' bench/TrainBench.java synthetic|real REC NUM_LAYERS C,H,W BATCH IMAGES EPOCHS [AUG]
 *
 * synthetic: examples whose "decoding" returns one fixed random image already at image_shape (no
 * decode, no augmentation cost): the engine's own rate, what torch_resnet_bench.py measures.
 * real: the .rec, decoded and augmented on background threads, as a training job does.
 * Prints one JSON line: the samples/s of the last epoch (earlier ones warm up).
 */
public class TrainBench {
  public static void main(String[] a) throws Exception {
    String mode = a[0];
    Path rec = Path.of(a[1]);
    int layers = Integer.parseInt(a[2]);
    String[] s = a[3].split(",");
    int c = Integer.parseInt(s[0]), h = Integer.parseInt(s[1]), w = Integer.parseInt(s[2]);
    int batch = Integer.parseInt(a[4]);
    int images = Integer.parseInt(a[5]);
    int epochs = Integer.parseInt(a[6]);
    String aug = a.length > 7 ? a[7] : null;
    Map<String, String> hp = new HashMap<>(Map.of("num_classes", "16", "num_training_samples", Integer.toString(images),
        "image_shape", a[3], "num_layers", a[2], "mini_batch_size", a[4], "epochs", a[6],
        "learning_rate", "0.01"));
    if (aug != null && !aug.equals("none")) {
      hp.put("augmentation_type", aug);
    }
    Path out = Files.createTempDirectory("trainbench");
    TrainRequest req = new TrainRequest(Hyperparameters.resolve(hp), Channel.recordIO(rec, null), null, null, null,
        out, null, 1, Runtime.getRuntime().availableProcessors(), "MXNet", 0, 1_000_000);
    TrainingJob job = new TrainingJob(req, new PrintWriter(new StringWriter()));
    if (mode.equals("synthetic")) {
      byte[] px = new byte[h * w * c];
      new SplittableRandom(1).nextBytes(px);
      Pixels fixed = new Pixels(w, h, c, px);
      SampleSource src = new SampleSource() {
        public int size() { return images; }
        public String describe() { return "synthetic"; }
        public int labelWidth() { return 1; }
        public Cursor cursor() {
          return new Cursor() {
            public Sample read(int i) { return new Sample(new byte[0], new float[] {i % 10}, "synthetic " + i); }
            public void close() {}
          };
        }
      };
      job.withSources(src, null).withDecoder((bytes, where) -> fixed);
    } else {
      SampleSource all = RecordIOSource.open(rec, null);
      if (all.size() < images) {
        throw new IllegalArgumentException(rec + " has only " + all.size() + " records");
      }
      // The first IMAGES records, so both modes train on epochs of the same length.
      SampleSource first = new SampleSource() {
        public int size() { return images; }
        public String describe() { return all.describe(); }
        public int labelWidth() { return all.labelWidth(); }
        public Cursor cursor() throws java.io.IOException { return all.cursor(); }
      };
      job.withSources(first, null);
    }
    TrainingJob.Result r = job.run();
    var last = r.epochs().get(r.epochs().size() - 1);
    System.out.printf(java.util.Locale.ROOT, "{\"mode\": \"%s\", \"aug\": \"%s\", \"num_layers\": %d, \"shape\": \"%s\", "
        + "\"batch\": %d, \"images_per_epoch\": %d, \"samples_per_s\": %.2f, \"epoch_s\": %.2f}%n",
        mode, aug, layers, a[3], batch, images, last.samplesPerSecond(), last.seconds());
  }
}
