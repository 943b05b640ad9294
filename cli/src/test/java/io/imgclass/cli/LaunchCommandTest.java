package io.imgclass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchCommandTest {
  @TempDir Path tmp;

  @Test
  void trainsOnALocalClusterThroughTheCli() throws Exception {
    // 64 grey 28x28 images in two classes (bright or dark), packed as SageMaker's .rec.
    Random rnd = new Random(3);
    for (int c = 0; c < 2; c++) {
      Path d = Files.createDirectories(tmp.resolve("img").resolve("c" + c));
      for (int i = 0; i < 32; i++) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
          for (int x = 0; x < 28; x++) {
            img.getRaster().setSample(x, y, 0, c * 128 + rnd.nextInt(128));
          }
        }
        ImageIO.write(img, "png", d.resolve(i + ".png").toFile());
      }
    }
    Path prefix = tmp.resolve("d");
    assertThat(CliRunner.run("make-lst", prefix.toString(), tmp.resolve("img").toString(), "--recursive", "-q").exitCode())
        .isZero();
    assertThat(CliRunner.run("pack-recordio", "-q", prefix.toString(), tmp.resolve("img").toString()).exitCode()).isZero();
    Path out = tmp.resolve("out");

    CliRunner.Result r = CliRunner.run("launch", "-n", "2", "-s", "1", "--", "train", "--kv-store", "dist_sync",
        "--train", prefix + ".rec", "-o", out.toString(), "--num-classes", "2", "--num-training-samples", "64",
        "--image-shape", "1,28,28", "--num-layers", "20", "--mini-batch-size", "8", "--epochs", "1",
        "--threads", "1", "--kv-timeout", "120");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).as(r.out()).isZero();
    assertThat(r.out()).containsPattern("(?m)^\\[launch\\] scheduler at 127\\.0\\.0\\.1:\\d+, 1 server\\(s\\), 2 worker\\(s\\)$")
        .contains("[scheduler] imgclass: scheduler running", "[server 0] imgclass: server: optimizer sgd for",
            "kvstore dist_sync: worker rank 0 of 2, reading records [0, 32] of 64",
            "kvstore dist_sync: worker rank 1 of 2, reading records [32, 64] of 64",
            "worker rank 1 done; rank 0 writes " + out.resolve("model.tar.gz"),
            "model: " + out.resolve("model.tar.gz"), "[launch] all 4 processes finished")
        .containsPattern("(?m)^\\[worker \\d\\] \\[.*INFO 1\\] Epoch\\[0\\] Train-accuracy=");
    assertThat(Files.exists(out.resolve("model.tar.gz"))).isTrue();
  }

  @Test
  void refusesCommandsThatCannotUseTheCluster() {
    CliRunner.Result r = CliRunner.run("launch", "-n", "2", "--", "predict", "m.tar.gz", "x.jpg");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("imgclass launch: launch runs `train`; got `predict`");

    r = CliRunner.run("launch", "-n", "2", "--", "train", "--train", "x.rec", "-o", "out");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("the train command needs --kv-store dist_sync or dist_async");

    r = CliRunner.run("launch", "-n", "0", "--", "train", "--kv-store", "dist_sync", "-o", "out");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("-n and -s must be at least 1 (got 0 workers, 1 servers)");
  }
}
