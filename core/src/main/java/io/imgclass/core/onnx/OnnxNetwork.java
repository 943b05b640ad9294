package io.imgclass.core.onnx;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.imgclass.core.ImgclassException;
import io.imgclass.core.model.ImageShape;
import io.imgclass.core.model.Network;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * A {@link Network} on DJL's ONNX Runtime engine: an ONNX model (exported in memory from a
 * {@code model.tar.gz} by {@link OnnxExport}, or read from an {@code .onnx} file) run by one ORT
 * session with all graph optimisations on. Threads are set as MXNet sets its own: intra-op =
 * {@code OMP_NUM_THREADS}, or every core when it is unset; inter-op 1 (the graph is a chain).
 * Not thread-safe: use one per thread, as the other engines.
 */
public final class OnnxNetwork implements Network {
  private final Model model;
  private final Block block;
  private final NDManager manager;
  private final ParameterStore store;
  private final ImageShape shape;
  private final int numClasses;

  /**
   * Opens a session.
   *
   * @param onnx the serialized ModelProto
   * @param shape the input C,H,W
   * @param numClasses outputs per image
   * @param gpus 0 for the CPU, 1 for ONNX Runtime's CUDA provider on the first GPU
   */
  public OnnxNetwork(byte[] onnx, ImageShape shape, int numClasses, int gpus) {
    this.shape = shape;
    this.numClasses = numClasses;
    Device device = gpus > 0 ? Device.gpu(0) : Device.cpu();
    Model m = Model.newInstance("imgclass", device, "OnnxRuntime");
    try {
      // The model owns the options from here on: DJL closes them with the model.
      m.load(new ByteArrayInputStream(onnx), Map.of("sessionOptions", sessionOptions()));
    } catch (IOException | MalformedModelException | OrtException e) {
      m.close();
      throw new ImgclassException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    this.model = m;
    this.block = m.getBlock();
    this.manager = m.getNDManager();
    this.store = new ParameterStore(manager, false);
  }

  /** ORT's threads: MXNet's rule (OMP_NUM_THREADS, else every core), graph optimisations all on. */
  static OrtSession.SessionOptions sessionOptions() throws OrtException {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    so.setIntraOpNumThreads(intraOpThreads());
    so.setInterOpNumThreads(1);
    so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    // ORT's workers spin while waiting for work by default. On a busy machine (several serve
    // workers, or other processes) the spinning threads take the cores the real work needs:
    // measured with bench/EngineBench.java, batch 1 median 52.6 ms without spinning vs 150 ms with
    // it (ResNet-18 224, 2 threads, load average ~15); batch 32 10.5 vs 11.5 img/s.
    so.addConfigEntry("session.intra_op.allow_spinning", "0");
    return so;
  }

  /** OMP_NUM_THREADS when set to a positive number, else the number of cores. */
  public static int intraOpThreads() {
    String omp = System.getenv("OMP_NUM_THREADS");
    if (omp != null) {
      try {
        int n = Integer.parseInt(omp.strip());
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // fall through to the core count, as OpenMP ignores a malformed value
      }
    }
    return Runtime.getRuntime().availableProcessors();
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public float[][] predict(float[][] images) {
    int n = images.length;
    float[] flat = Network.flatten(images, shape);
    try (NDManager batch = manager.newSubManager()) {
      NDArray x = batch.create(flat, new Shape(n, shape.channels(), shape.height(), shape.width()));
      x.setName("data");
      NDArray out = block.forward(store, new NDList(x), false).head();
      float[] all = out.toFloatArray();
      if (all.length != n * numClasses) {
        throw new ImgclassException("the ONNX model gave " + all.length + " values for " + n + " images of "
            + numClasses + " classes");
      }
      return Network.split(all, n, numClasses);
    }
  }

  @Override
  public void close() {
    model.close();
  }
}
