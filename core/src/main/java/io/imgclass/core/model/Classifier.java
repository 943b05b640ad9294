package io.imgclass.core.model;

import io.imgclass.core.ImgclassException;
import io.imgclass.core.UsageException;
import io.imgclass.core.onnx.OnnxModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The core inference API: a {@code model.tar.gz} (ours or SageMaker's) or an {@code .onnx} file
 * that {@code imgclass export} wrote in, class probabilities for batches of CHW float arrays out.
 * Images must already be at the model's image_shape, with raw 0–255 values (decoding and resizing
 * belong to {@code io.imgclass.core.image}).
 */
public final class Classifier implements AutoCloseable {
  private final ModelArtifact artifact;
  private final Network runner;
  private final ImageShape imageShape;
  private final List<String> classes;
  private final boolean multiLabel;

  private Classifier(ModelArtifact artifact, Network runner, ImageShape imageShape, List<String> classes,
      boolean multiLabel) {
    this.artifact = artifact;
    this.runner = runner;
    this.imageShape = imageShape;
    this.classes = List.copyOf(classes);
    this.multiLabel = multiLabel;
  }

  /** Loads an artifact on the default engine and execution mode. */
  public static Classifier load(Path model) throws IOException {
    return load(model, null, RunOptions.defaults());
  }

  /** Loads an artifact on the default engine with the given MXNet execution mode. */
  public static Classifier load(Path model, ImageShape shape, NetworkRunner.Mode mode) throws IOException {
    return load(model, shape, new RunOptions(RunOptions.DEFAULT_ENGINE, 0, mode));
  }

  /**
   * Loads an artifact.
   *
   * @param shape the input C,H,W, or {@code null} to take it from {@code model-shapes.json}
   * @param options engine, device and mode
   */
  public static Classifier load(Path model, ImageShape shape, RunOptions options) throws IOException {
    if (OnnxModels.isOnnx(model)) {
      return loadOnnx(model, shape, options);
    }
    ModelArtifact a = ModelArchive.read(model);
    ImageShape s = shape != null ? shape : a.imageShape();
    if (s == null) {
      throw new ImgclassException(model + ": no " + ModelArchive.SHAPES + "; give the image shape explicitly");
    }
    try {
      Graph g = a.graph();
      boolean multi = "LogisticRegressionOutput".equals(g.nodes().get(g.heads().get(0).node()).op());
      return new Classifier(a, Networks.open(g, a.params(), s, options), s, a.classes(), multi);
    } catch (io.imgclass.core.UsageException e) {
      throw e; // a usage error (exit 2), e.g. GPUs asked for that are not there: not about this file
    } catch (ImgclassException e) {
      throw new ImgclassException(model + ": " + e.getMessage(), e);
    }
  }

  /** An ONNX model runs on ONNX Runtime only; its metadata gives the shape, classes and head. */
  private static Classifier loadOnnx(Path model, ImageShape shape, RunOptions options) throws IOException {
    if (options.engine() != EngineKind.ONNXRUNTIME) {
      throw new UsageException(model + " is an ONNX model: run it with --engine onnxruntime");
    }
    OnnxModels.OnnxFile f = OnnxModels.read(model);
    if (shape != null && !shape.equals(f.imageShape())) {
      throw new UsageException(model + ": the ONNX model takes " + f.imageShape() + ", not " + shape);
    }
    try {
      return new Classifier(null, f.open(options), f.imageShape(), f.classes(), f.multiLabel());
    } catch (ImgclassException e) {
      throw new ImgclassException(model + ": " + e.getMessage(), e);
    }
  }

  /** The loaded artifact; {@code null} for an ONNX model. */
  public ModelArtifact artifact() {
    return artifact;
  }

  /** The input C,H,W. */
  public ImageShape imageShape() {
    return imageShape;
  }

  /** Class names by label index (empty when the model has none). */
  public List<String> classes() {
    return classes;
  }

  /** True for a multi-label (sigmoid) head. */
  public boolean multiLabel() {
    return multiLabel;
  }

  /** Probabilities per image (see {@link Network#predict}). */
  public float[][] predict(float[][] images) {
    return runner.predict(images);
  }

  /** Number of classes. */
  public int numClasses() {
    return runner.numClasses();
  }

  @Override
  public void close() {
    runner.close();
  }
}
