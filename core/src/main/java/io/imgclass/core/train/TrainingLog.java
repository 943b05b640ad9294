package io.imgclass.core.train;

import java.io.PrintWriter;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The log lines SageMaker's Image Classification container prints (spec §1.4), byte for byte after
 * the prefix, so CloudWatch-style metric regexes written for SageMaker keep working: {@code
 * [MM/DD/YYYY HH:MM:SS INFO <thread-id>] Epoch[0] Train-accuracy=0.150391}. Accuracy values use
 * {@code %f}, durations {@code %.3f}, always with a dot as decimal separator.
 */
public final class TrainingLog {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss", Locale.ROOT);

  private final PrintWriter out;
  private final Supplier<LocalDateTime> clock;
  private final String threadId;

  /** Lines go to {@code out}; {@code clock} gives the timestamp (tests pass a fixed one). */
  public TrainingLog(PrintWriter out, Supplier<LocalDateTime> clock, long threadId) {
    this.out = out;
    this.clock = clock;
    this.threadId = Long.toString(threadId);
  }

  /** A log on {@code out} with the wall clock and the current thread's id. */
  public static TrainingLog to(PrintWriter out) {
    return new TrainingLog(out, LocalDateTime::now, Thread.currentThread().getId());
  }

  /** One line with SageMaker's prefix. */
  public void info(String message) {
    out.println("[" + STAMP.format(clock.get()) + " INFO " + threadId + "] " + message);
    out.flush();
  }

  /** {@code Epoch[7] Batch [820]\tSpeed: 204.183 samples/sec\taccuracy=1.000000}. */
  public void batch(int epoch, int batch, double samplesPerSec, String metric, double value) {
    info(String.format(Locale.ROOT, "Epoch[%d] Batch [%d]\tSpeed: %.3f samples/sec\t%s=%f",
        epoch, batch, samplesPerSec, metric, value));
  }

  /** {@code Epoch[0] Train-accuracy=0.150391}. */
  public void trainAccuracy(int epoch, double accuracy) {
    info(String.format(Locale.ROOT, "Epoch[%d] Train-accuracy=%f", epoch, accuracy));
  }

  /** {@code Epoch[0] Train-top_k_accuracy_2=0.273438}. */
  public void trainTopK(int epoch, int k, double accuracy) {
    info(String.format(Locale.ROOT, "Epoch[%d] Train-top_k_accuracy_%d=%f", epoch, k, accuracy));
  }

  /** {@code Epoch[0] Time cost=8.095}. */
  public void timeCost(int epoch, double seconds) {
    info(String.format(Locale.ROOT, "Epoch[%d] Time cost=%.3f", epoch, seconds));
  }

  /** {@code Epoch[0] Validation-accuracy=0.253906}. */
  public void validationAccuracy(int epoch, double accuracy) {
    info(String.format(Locale.ROOT, "Epoch[%d] Validation-accuracy=%f", epoch, accuracy));
  }

  /** {@code Storing the best model with validation accuracy: 0.253906}. */
  public void storingBest(double accuracy) {
    info(String.format(Locale.ROOT, "Storing the best model with validation accuracy: %f", accuracy));
  }

  /** {@code Saved checkpoint to "/opt/ml/model/image-classification-0001.params"}. */
  public void savedCheckpoint(String path) {
    info("Saved checkpoint to \"" + path + "\"");
  }
}
