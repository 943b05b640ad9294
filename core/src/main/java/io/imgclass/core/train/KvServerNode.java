package io.imgclass.core.train;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgclass.core.ImgclassException;
import io.imgclass.core.dist.KvStore;
import io.imgclass.core.dist.Watchdog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A parameter-server node of a {@code dist_sync}/{@code dist_async} job ({@code DMLC_ROLE=server}
 * or {@code scheduler}): what MXNet's {@code python -c "import mxnet"} does in those roles.
 *
 * <p>The scheduler only introduces the nodes to each other. A server keeps a share of the weights:
 * rank 0 sends it the optimizer as a command ({@link #command}, MXNet pickles a Python optimizer
 * there; we send the hyperparameters as JSON), and from then on, for every key, the server
 * applies {@link SageMakerOptimizer} to the gradient pushed by the workers: in {@code dist_sync} to
 * their sum, once every worker has pushed, in {@code dist_async} to each push as it comes. One key
 * beyond the weights is a plain accumulator that workers use to add up validation counts.
 */
public final class KvServerNode {
  private KvServerNode() {}

  /** Runs the role given by DMLC_ROLE until the workers finish. */
  public static void run(PrintWriter out) {
    KvStore.Role role = KvStore.role();
    String who = role.name().toLowerCase(java.util.Locale.ROOT);
    AtomicReference<KvStore> ref = new AtomicReference<>();
    Watchdog watchdog = Watchdog.start(Duration.ZERO, who, Watchdog.deadPeers(ref, role));
    KvStore kv = null;
    boolean[] stopped = {false};
    try {
      kv = KvStore.create("dist");
      KvStore store = kv;
      // On servers and the scheduler, ps-lite starts inside runServer (on a worker, at create): asking
      // about heartbeats before that crashes in libmxnet (measured: SIGSEGV in Postoffice::GetDeadNodes),
      // and nothing signals the start, which is runServer's first step, so the check begins a little later.
      Thread arm = new Thread(() -> {
        try {
          Thread.sleep(5_000);
          synchronized (ref) {
            if (!stopped[0]) {
              ref.set(store);
            }
          }
        } catch (InterruptedException e) {
          // stopping
        }
      }, "imgclass-kv-heartbeat-arm");
      arm.setDaemon(true);
      arm.start();
      out.println("imgclass: " + who + " running (DMLC_PS_ROOT_URI=" + System.getenv("DMLC_PS_ROOT_URI")
          + ", DMLC_PS_ROOT_PORT=" + System.getenv("DMLC_PS_ROOT_PORT") + ")");
      out.flush();
      kv.runServer((head, body) -> {
        if (head != KvStore.COMMAND_CONTROLLER) {
          out.println("imgclass: " + who + ": unknown command " + head);
          out.flush();
          return;
        }
        Config c = Config.parse(body);
        SageMakerOptimizer opt = c.optimizer();
        store.setUpdater((key, received, stored) -> update(c, opt, key, received, stored));
        out.println("imgclass: " + who + ": optimizer " + c.hyperparameters().get("optimizer") + " for "
            + c.names().size() + " keys, rescale_grad " + c.rescaleGrad());
        out.flush();
      });
      out.println("imgclass: " + who + " done");
      out.flush();
    } finally {
      // The watchdog may be asking the store about heartbeats: stop it before the store goes.
      synchronized (ref) {
        stopped[0] = true;
        ref.set(null);
      }
      watchdog.close();
      if (kv != null) {
        kv.close();
      }
    }
  }

  private static void update(Config c, SageMakerOptimizer opt, int key, NDArray received, NDArray stored) {
    if (key == c.names().size()) {
      stored.addi(received);
    } else if (key >= 0 && key < c.names().size()) {
      opt.update(c.names().get(key), stored, received);
    } else {
      throw new ImgclassException("push for unknown key " + key);
    }
  }

  /**
   * What a server needs to update weights.
   *
   * @param hyperparameters the job's hyperparameters (string form)
   * @param epochSize updates per epoch for the learning-rate schedule
   * @param rescaleGrad factor applied to each received gradient
   * @param names parameter name of each key; key {@code names.size()} is the accumulator
   */
  record Config(Map<String, String> hyperparameters, long epochSize, float rescaleGrad, List<String> names) {
    String toJson() {
      ObjectMapper om = new ObjectMapper();
      ObjectNode root = om.createObjectNode();
      root.putPOJO("hyperparameters", hyperparameters);
      root.put("epoch_size", epochSize);
      root.put("rescale_grad", rescaleGrad);
      root.putPOJO("names", names);
      try {
        return om.writeValueAsString(root);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    static Config parse(String json) {
      try {
        JsonNode root = new ObjectMapper().readTree(json);
        Map<String, String> hp = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("hyperparameters").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          hp.put(e.getKey(), e.getValue().asText());
        }
        List<String> names = new ArrayList<>();
        root.get("names").forEach(n -> names.add(n.asText()));
        return new Config(hp, root.get("epoch_size").asLong(), (float) root.get("rescale_grad").asDouble(), names);
      } catch (IOException | RuntimeException e) {
        throw new ImgclassException("bad optimizer command from a worker: " + e.getMessage(), e);
      }
    }

    SageMakerOptimizer optimizer() {
      TrainingHyperparameters hp = Hyperparameters.resolve(hyperparameters);
      LrSchedule schedule = LrSchedule.multiFactor(hp.learningRate(), hp.lrSchedulerFactor(), hp.lrSchedulerStep(),
          epochSize);
      return SageMakerOptimizer.builder()
          .fromHyperparameters(hp, schedule)
          .setParameterNames(id -> id) // on servers the ids are the names
          .setRescaleGrad(rescaleGrad)
          .build();
    }
  }
}
