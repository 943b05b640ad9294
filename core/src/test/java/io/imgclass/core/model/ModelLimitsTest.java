package io.imgclass.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgclass.core.ImgclassException;
import io.imgclass.core.testing.Bombs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sizes a model archive claims are checked before they are allocated. */
class ModelLimitsTest {
  @TempDir Path tmp;

  @Test
  void gzipBombMemberIsRefusedFromItsHeaderNamingArchiveMemberAndLimit() throws Exception {
    // A header claiming 2 GiB - 17 bytes; 8 MB of zeros follow (the reader must not get that far).
    Path bomb = Bombs.tarGzClaiming(tmp.resolve("bomb.tar.gz"), "image-classification-0001.params",
        (2L << 30) - 17, 8L << 20);
    assertThat(Files.size(bomb)).isLessThan(100_000);
    assertThatThrownBy(() -> ModelArchive.read(bomb))
        .isInstanceOf(ImgclassException.class)
        .hasMessage(bomb + ": member 'image-classification-0001.params' (header at byte 0) is 2147483631 bytes,"
            + " over the limit of 1073741824 bytes per member; raise it with -Dimgclass.maxModelMemberBytes=N"
            + " or IMGCLASS_MAX_MODEL_MEMBER_BYTES");
  }

  @Test
  void totalIsCountedAcrossMembers() throws Exception {
    List<TarGz.Entry> entries = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      entries.add(new TarGz.Entry("m" + i, new byte[900]));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarGz.write(entries, out, 0);
    // Each member takes a 512-byte header and 1024 bytes of data: m3 would end at byte 6144.
    assertThatThrownBy(() -> TarGz.read(new ByteArrayInputStream(out.toByteArray()), "x.tar.gz", new ArchiveLimits(1000, 6000)))
        .hasMessage("x.tar.gz: member 'm3' (header at byte 4608, 900 bytes) would take the archive past the limit"
            + " of 6000 bytes in all; raise it with -Dimgclass.maxModelBytes=N or IMGCLASS_MAX_MODEL_BYTES");
    assertThat(TarGz.read(new ByteArrayInputStream(out.toByteArray()), "x.tar.gz", new ArchiveLimits(1000, 20_000)))
        .hasSize(10);
  }

  private Path model() throws Exception {
    ImageShape shape = new ImageShape(3, 28, 28);
    Graph g = ResNet.build(ResNetConfig.of(20, shape, 4));
    Path m = tmp.resolve("model.tar.gz");
    ModelArchive.write(new ModelArtifact(g, Initialization.initialize(g, shape, 1), 1, shape, 8, List.of()), m);
    return m;
  }

  /** The archive with one member replaced. */
  private Path withMember(Path model, String name, byte[] content) throws Exception {
    Map<String, byte[]> files;
    try (InputStream in = Files.newInputStream(model)) {
      files = TarGz.read(in, model.toString());
    }
    files.put(name, content);
    List<TarGz.Entry> entries = new ArrayList<>();
    files.forEach((k, v) -> entries.add(new TarGz.Entry(k, v)));
    Path out = tmp.resolve("changed-" + name.replace('/', '_') + ".tar.gz");
    try (var os = Files.newOutputStream(out)) {
      TarGz.write(entries, os, 0);
    }
    return out;
  }

  @Test
  void truncatedArchiveNamesTheFile() throws Exception {
    Path m = model();
    byte[] all = Files.readAllBytes(m);
    Path cut = tmp.resolve("cut.tar.gz");
    Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
    assertThatThrownBy(() -> ModelArchive.read(cut))
        .isInstanceOf(ImgclassException.class)
        .hasMessageStartingWith(cut + ": the gzip stream ends early (truncated file?), ")
        .hasMessageEndingWith(" bytes into the tar");
  }

  @Test
  void hugeDataShapeIsRefusedBeforeAnythingIsSized() throws Exception {
    Path m = withMember(model(), ModelArchive.SHAPES,
        "[{\"shape\":[64,1,999999999,999999999],\"name\":\"data\"}]".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> ModelArchive.read(m))
        .isInstanceOf(ImgclassException.class)
        .hasMessage(m + ":model-shapes.json: data shape [64,1,999999999,999999999]: height must be a whole number"
            + " from 1 to 8192, got 999999999");
    Path frac = withMember(model(), ModelArchive.SHAPES,
        "[{\"shape\":[1,3,2.5,28],\"name\":\"data\"}]".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> ModelArchive.read(frac)).hasMessageEndingWith("height must be a whole number from 1 to 8192, got 2.5");
  }

  @Test
  void deeplyNestedSymbolGivesAClearMessage() throws Exception {
    String deep = "{\"nodes\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    Path m = withMember(model(), ModelArchive.SYMBOL, deep.getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> ModelArchive.read(m))
        .isInstanceOf(ImgclassException.class)
        .hasMessageStartingWith(m + ":" + ModelArchive.SYMBOL + ": not valid JSON")
        .hasMessageContaining("nesting depth");
  }

  @Test
  void paramsShapeIsAllocatedOnlyForBytesThatArrive() throws Exception {
    // One uint8 array whose header claims 46340 x 46340 (2.1 G values: 8.6 GB as floats), with 16
    // bytes of data, from a stream that cannot say how much is left (as a pipe): truncated,
    // without first allocating the floats (which would be an OutOfMemoryError here).
    ByteBuffer b = ByteBuffer.allocate(200).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(0x112).putLong(0).putLong(1);
    b.putInt(0xF993FAC9).putInt(0).putInt(2).putLong(46340).putLong(46340).putInt(1).putInt(0).putInt(3);
    b.put(new byte[16]);
    byte[] bytes = java.util.Arrays.copyOf(b.array(), b.position());
    InputStream opaque = new FilterInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      public int available() {
        return 0;
      }
    };
    assertThatThrownBy(() -> ParamsFile.read(opaque, "p.params"))
        .isInstanceOf(ImgclassException.class)
        .hasMessage("p.params: truncated at byte " + bytes.length);
  }
}
