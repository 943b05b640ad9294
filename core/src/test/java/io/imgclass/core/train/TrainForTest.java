package io.imgclass.core.train;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/** A separate JVM for the kill -9 test: {@code TrainForTest TRAIN.rec VAL.rec OUT EPOCHS}. */
public final class TrainForTest {
  private TrainForTest() {}

  public static void main(String[] args) throws Exception {
    TrainRequest req = TrainingJobTest.request(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]),
        Map.of("epochs", args[3]), null, null);
    new TrainingJob(req, new PrintWriter(System.out, true)).run();
  }
}
