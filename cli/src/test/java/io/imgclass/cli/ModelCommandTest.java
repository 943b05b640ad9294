package io.imgclass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgclass.core.model.ModelArchive;
import io.imgclass.core.model.ModelArtifact;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandTest {

  @Test
  void printsTheArchitecture() {
    CliRunner.Result r = CliRunner.run("model", "--num-layers", "18", "--image-shape", "3,224,224", "--num-classes", "1000");
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("""
        ResNet-18 (basic units, v2 pre-activation), image_shape 3,224,224, 1000 classes, float32, single-label (softmax)
        stem: conv0 7x7 stride 2, bn0, relu0, max-pool 3x3 stride 2 (image height > 32)
        part     units  output shape
        input        -  1x3x224x224
        stem         -  1x64x56x56
        stage1       2  1x64x56x56
        stage2       2  1x128x28x28
        stage3       2  1x256x14x14
        stage4       2  1x512x7x7
        head         -  1x1000
        parameters: 11,691,950 learnable + 7,942 BatchNorm moving statistics
        graph: 173 nodes, FC layer 'fc', output 'softmax'
        """);
  }

  @Test
  void writesSymbolAndSeededArtifact(@TempDir Path dir) throws Exception {
    Path sym = dir.resolve("s.json");
    Path m1 = dir.resolve("a.tar.gz");
    Path m2 = dir.resolve("b.tar.gz");
    CliRunner.Result r = CliRunner.run("model", "--num-layers", "20", "--image-shape", "1,28,28", "--num-classes", "10",
        "--symbol-out", sym.toString(), "--init-out", m1.toString(), "--seed", "4");
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("stem: conv0 3x3 stride 1", "stage3       3  1x64x7x7", "head         -  1x10",
        "wrote " + sym, "wrote " + m1 + " (seed 4)");
    assertThat(Files.readString(sym)).startsWith("{\n  \"nodes\": [");
    CliRunner.run("model", "--num-layers", "20", "--image-shape", "1,28,28", "--num-classes", "10",
        "--init-out", m2.toString(), "--seed", "4");
    ModelArtifact a = ModelArchive.read(m1);
    assertThat(a.params().arrays()).isEqualTo(ModelArchive.read(m2).params().arrays());
    assertThat(a.epoch()).isZero();
    assertThat(a.batchSize()).isEqualTo(32);
  }

  @Test
  void impossibleCombinationsAreUsageErrors() {
    CliRunner.Result r = CliRunner.run("model", "--num-layers", "18", "--image-shape", "3,28,28", "--num-classes", "10");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("imgclass model: num_layers 18 needs image height > 28 (image_shape 3,28,28); for"
        + " height <= 28 MXNet's ResNet takes (num_layers-2) % 6 == 0: use 20, 32, 44, 56 or 110\n");
    r = CliRunner.run("model", "--num-layers", "20", "--image-shape", "3,28,28", "--num-classes", "10",
        "--seed", "3");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("imgclass model: --seed is only used with --init-out\n");
    r = CliRunner.run("model", "--num-layers", "20", "--num-classes", "10");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("imgclass model: Missing required option: '--image-shape=C,H,W'");
  }

  @Test
  void initOutWithoutSeedUsesTrainsDefaultSeed(@TempDir Path dir) throws Exception {
    Path implicit = dir.resolve("implicit.tar.gz");
    Path explicit = dir.resolve("explicit.tar.gz");
    CliRunner.Result r = CliRunner.run("model", "--num-layers", "20", "--image-shape", "1,28,28", "--num-classes", "3",
        "--init-out", implicit.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).endsWith("wrote " + implicit + " (seed 42)\n");
    assertThat(CliRunner.run("model", "--num-layers", "20", "--image-shape", "1,28,28", "--num-classes", "3",
        "--init-out", explicit.toString(), "--seed", "42").exitCode()).isZero();
    assertThat(io.imgclass.core.model.ModelArchive.read(implicit).params().get("fc_weight").data())
        .containsExactly(io.imgclass.core.model.ModelArchive.read(explicit).params().get("fc_weight").data());
  }

  @Test
  void unwritableOutputIsFailureExitOne(@TempDir Path dir) {
    CliRunner.Result r = CliRunner.run("model", "--num-layers", "20", "--image-shape", "3,28,28", "--num-classes", "2",
        "--symbol-out", dir.resolve("missing/dir/s.json").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("imgclass model: no such file: ");
  }
}
