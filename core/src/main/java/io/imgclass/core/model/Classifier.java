package io.imgclass.core.model;

import io.imgclass.core.ImgclassException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The core inference API: a {@code model.tar.gz} (ours or SageMaker's) in, class probabilities
 * for batches of CHW float arrays out. Images must already be at the model's image_shape, with raw
 * 0–255 values (decoding and resizing belong to {@code io.imgclass.core.image}).
 */
public final class Classifier implements AutoCloseable {
  private final ModelArtifact artifact;
  private final Network runner;

  private Classifier(ModelArtifact artifact, Network runner) {
    this.artifact = artifact;
    this.runner = runner;
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
    ModelArtifact a = ModelArchive.read(model);
    ImageShape s = shape != null ? shape : a.imageShape();
    if (s == null) {
      throw new ImgclassException(model + ": no " + ModelArchive.SHAPES + "; give the image shape explicitly");
    }
    try {
      return new Classifier(a, Networks.open(a.graph(), a.params(), s, options));
    } catch (io.imgclass.core.UsageException e) {
      throw e; // a usage error (exit 2), e.g. GPUs asked for that are not there: not about this file
    } catch (ImgclassException e) {
      throw new ImgclassException(model + ": " + e.getMessage(), e);
    }
  }

  /** The loaded artifact. */
  public ModelArtifact artifact() {
    return artifact;
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
