package io.imgclass.core.train;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One node of a test cluster, in its own JVM: {@code DistNodeForTest KV_STORE TRAIN.rec OUT EPOCHS
 * BATCH KV_TIMEOUT_S}. With DMLC_ROLE=server or scheduler it runs that role, as {@code imgclass
 * train} does.
 */
public final class DistNodeForTest {
  private DistNodeForTest() {}

  public static void main(String[] args) throws Exception {
    PrintWriter out = new PrintWriter(System.out, true);
    String role = System.getenv("DMLC_ROLE");
    if ("server".equals(role) || "scheduler".equals(role)) {
      KvServerNode.run(out);
      return;
    }
    TrainRequest r = request(args[0], Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]),
        Integer.parseInt(args[4]));
    TrainRequest req = new TrainRequest(r.hyperparameters(), r.train(), null, null, null, r.output(), null, r.seed(),
        1, "MXNet", 0, 4, Duration.ofSeconds(Long.parseLong(args[5])));
    new TrainingJob(req, out).run();
    out.flush();
    System.exit(0);
  }

  static TrainRequest request(String kvStore, Path train, Path out, int epochs, int batch) {
    Map<String, String> hp = new HashMap<>(Map.of(
        "num_classes", "10", "num_training_samples", Integer.toString(DistributedTrainingTest.TRAIN),
        "image_shape", "1,28,28", "num_layers", "20", "mini_batch_size", Integer.toString(batch),
        "learning_rate", "0.05", "epochs", Integer.toString(epochs)));
    if (kvStore != null && !kvStore.equals("none")) {
      hp.put("kv_store", kvStore);
    }
    return new TrainRequest(Hyperparameters.resolve(hp), Channel.recordIO(train, null), null, null, null, out, null,
        11, 1, "MXNet", 0, 4);
  }
}
