package io.imgclass.core.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgclass.core.DebianPython;
import io.imgclass.core.ImgclassException;
import io.imgclass.core.UsageException;
import io.imgclass.core.image.ColorMode;
import io.imgclass.core.image.Encoding;
import io.imgclass.core.image.ImageCodec;
import io.imgclass.core.image.Pixels;
import io.imgclass.core.image.TestImages;
import io.imgclass.core.lst.LstEntry;
import io.imgclass.core.lst.LstWriter;
import io.imgclass.recordio.ImageRecordHeader;
import io.imgclass.recordio.RawRecord;
import io.imgclass.recordio.RecordIOReader;
import io.imgclass.recordio.RecordIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackerTest {
  @TempDir Path tmp;

  /** 24 JPEGs of assorted sizes in 3 folders, listed in a scrambled index order. */
  private List<LstEntry> images(Path root, int n) throws Exception {
    List<LstEntry> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String rel = "c" + (i % 3) + "/img" + i + ".jpg";
      TestImages.jpeg(root.resolve(rel), 40 + 7 * i, 30 + 3 * i, i);
      list.add(LstEntry.of((i * 7L) % n + 100, i % 3, rel));
    }
    return list;
  }

  private static List<RawRecord> readAll(Path rec) throws Exception {
    List<RawRecord> out = new ArrayList<>();
    try (RecordIOReader r = RecordIOReader.open(rec)) {
      for (RawRecord x; (x = r.next()) != null; ) {
        out.add(x);
      }
    }
    return out;
  }

  @Test
  void roundTripKeepsListOrderWithFourThreads() throws Exception {
    Path root = tmp.resolve("img");
    List<LstEntry> list = images(root, 24);
    Path lst = tmp.resolve("d.lst");
    LstWriter.writeAll(lst, list);
    PackConfig cfg = PackConfig.builder(root).optResize(32).optThreads(4).build();
    List<Long> seen = new ArrayList<>();
    PackResult res = new Packer(cfg, (done, total, ns) -> seen.add(done)).pack(lst);
    assertThat(res.records()).isEqualTo(24);
    assertThat(res.bad()).isZero();
    assertThat(res.badReport()).isNull();
    assertThat(seen).hasSize(24).endsWith(24L);
    List<RawRecord> recs = readAll(tmp.resolve("d.rec"));
    RecordIndex idx = RecordIndex.read(tmp.resolve("d.idx"));
    assertThat(recs).hasSize(24);
    for (int i = 0; i < 24; i++) {
      ImageRecordHeader h = ImageRecordHeader.decode(recs.get(i).data());
      assertThat(h.flag()).isZero();
      assertThat(h.id()).isEqualTo(list.get(i).index());
      assertThat(h.label()).isEqualTo((float) list.get(i).firstLabel());
      assertThat(idx.entries().get(i).key()).isEqualTo(list.get(i).index());
      assertThat(idx.entries().get(i).offset()).isEqualTo(recs.get(i).offset());
      Pixels p = ImageCodec.decode(h.image(recs.get(i).data()), ColorMode.COLOR);
      assertThat(Math.min(p.width(), p.height())).isEqualTo(32);
    }
    assertThat(Files.list(tmp).map(p -> p.getFileName().toString()).filter(s -> s.endsWith(".partial"))).isEmpty();
  }

  @Test
  void passThroughStoresTheFileBytes() throws Exception {
    Path root = tmp.resolve("img");
    List<LstEntry> list = images(root, 3);
    Path lst = tmp.resolve("p.lst");
    LstWriter.writeAll(lst, list);
    new Packer(PackConfig.builder(root).optPassThrough(true).optResize(8).build(), null).pack(lst);
    List<RawRecord> recs = readAll(tmp.resolve("p.rec"));
    ImageRecordHeader h = ImageRecordHeader.decode(recs.get(1).data());
    assertThat(h.image(recs.get(1).data())).isEqualTo(Files.readAllBytes(root.resolve(list.get(1).path())));
  }

  @Test
  void pngAndGreyOptions() throws Exception {
    Path root = tmp.resolve("img");
    List<LstEntry> list = images(root, 2);
    Path lst = tmp.resolve("g.lst");
    LstWriter.writeAll(lst, list);
    new Packer(PackConfig.builder(root).optEncoding(Encoding.PNG).optColor(ColorMode.GRAY).optCenterCrop(true).build(), null).pack(lst);
    RawRecord r = readAll(tmp.resolve("g.rec")).get(1);
    byte[] img = ImageRecordHeader.decode(r.data()).image(r.data());
    assertThat(img[1]).isEqualTo((byte) 'P');
    Pixels p = ImageCodec.decode(img, ColorMode.UNCHANGED);
    assertThat(p.channels()).isEqualTo(1);
    assertThat(p.width()).isEqualTo(p.height()).isEqualTo(33);
  }

  @Test
  void badImagesAreListedAndFailTheRunUnlessAllowed() throws Exception {
    Path root = tmp.resolve("img");
    List<LstEntry> list = new ArrayList<>(images(root, 4));
    Files.write(root.resolve("zero.jpg"), new byte[0]);
    Files.writeString(root.resolve("text.jpg"), "not an image");
    byte[] good = Files.readAllBytes(root.resolve(list.get(0).path()));
    Files.write(root.resolve("cut.jpg"), java.util.Arrays.copyOf(good, 150));
    list.add(LstEntry.of(50, 1, "zero.jpg"));
    list.add(LstEntry.of(51, 1, "missing.jpg"));
    list.add(LstEntry.of(52, 1, "text.jpg"));
    list.add(LstEntry.of(53, 1, "cut.jpg"));
    Path lst = tmp.resolve("b.lst");
    LstWriter.writeAll(lst, list);
    assertThatThrownBy(() -> new Packer(PackConfig.builder(root).optThreads(2).build(), null).pack(lst))
        .isInstanceOf(ImgclassException.class)
        .hasMessage(lst + ": 4 of 8 images could not be packed (listed in " + tmp.resolve("b.bad.tsv")
            + "); b.rec was not written. Fix or remove them, or allow them with --max-bad 4");
    assertThat(tmp.resolve("b.rec")).doesNotExist();
    assertThat(tmp.resolve("b.idx")).doesNotExist();
    List<String> report = Files.readAllLines(tmp.resolve("b.bad.tsv"));
    assertThat(report).hasSize(5);
    assertThat(report.get(0)).isEqualTo("path\treason");
    assertThat(report.get(1)).isEqualTo("zero.jpg\tempty file (0 bytes)");
    assertThat(report.get(2)).isEqualTo("missing.jpg\tmissing file");
    assertThat(report.get(3)).isEqualTo("text.jpg\tnot a recognised image format");
    assertThat(report.get(4)).startsWith("cut.jpg\tcannot decode");

    PackResult ok = new Packer(PackConfig.builder(root).optMaxBad(4).build(), null).pack(lst);
    assertThat(ok.records()).isEqualTo(4);
    assertThat(ok.bad()).isEqualTo(4);
    assertThat(readAll(tmp.resolve("b.rec"))).hasSize(4);
  }

  @Test
  void multiLabelNeedsPackLabelAndEqualCounts() throws Exception {
    Path root = tmp.resolve("img");
    TestImages.jpeg(root.resolve("a.jpg"), 20, 20, 1);
    Path lst = tmp.resolve("m.lst");
    Files.writeString(lst, "0\t1\t0\t1\ta.jpg\n1\t0\t1\t1\ta.jpg\n");
    assertThatThrownBy(() -> new Packer(PackConfig.builder(root).build(), null).pack(lst))
        .isInstanceOf(UsageException.class)
        .hasMessage(lst + ":1: 3 labels on a line; without --pack-label only the first would be stored"
            + " (im2rec drops the rest silently). Add --pack-label to store all of them");
    new Packer(PackConfig.builder(root).optPackLabel(true).build(), null).pack(lst);
    RawRecord r = readAll(tmp.resolve("m.rec")).get(1);
    ImageRecordHeader h = ImageRecordHeader.decode(r.data());
    assertThat(h.flag()).isEqualTo(3);
    assertThat(h.labels()).containsExactly(0f, 1f, 1f);

    Files.writeString(lst, "0\t1\t0\ta.jpg\n1\t1\ta.jpg\n");
    assertThatThrownBy(() -> new Packer(PackConfig.builder(root).optPackLabel(true).build(), null).pack(lst))
        .hasMessage(lst + ":2: 1 label(s), but line 1 has 2 (every line needs the same number of labels)");
  }

  @Test
  void pathsLeavingTheRootAreRefused() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("img"));
    Path lst = tmp.resolve("e.lst");
    for (String bad : new String[] {"../x.jpg", "/etc/passwd", "a/../../x.jpg"}) {
      Files.writeString(lst, "0\t0\tok.jpg\n1\t0\t" + bad + "\n");
      assertThatThrownBy(() -> new Packer(PackConfig.builder(root).build(), null).pack(lst))
          .isInstanceOf(ImgclassException.class)
          .hasMessage(lst + ":2: path '" + bad + "' is outside the image root (absolute or '..' paths are refused)");
    }
  }

  @Test
  void mxnetReadsOurRecordsSingleAndMultiLabel() throws Exception {
    DebianPython.require("numpy");
    Path root = tmp.resolve("img");
    List<LstEntry> list = images(root, 12);
    Path lst = tmp.resolve("s.lst");
    LstWriter.writeAll(lst, list);
    new Packer(PackConfig.builder(root).optResize(40).optCenterCrop(true).optThreads(2).build(), null).pack(lst);
    Path script = DebianPython.mxnetScript(tmp, "mxnet_recordio_check.py");
    DebianPython.Result r = DebianPython.runMxnet(List.of(script.toString(), tmp.resolve("s").toString(), "--iter", "3,40,40"), 300);
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("\"image_record_iter_records\": 12");

    List<LstEntry> multi = new ArrayList<>();
    for (LstEntry e : list) {
      double[] hot = new double[4];
      hot[(int) e.firstLabel()] = 1;
      hot[3] = e.index() % 2;
      multi.add(new LstEntry(e.index(), hot, e.path()));
    }
    Path mlst = tmp.resolve("ml.lst");
    LstWriter.writeAll(mlst, multi);
    new Packer(PackConfig.builder(root).optResize(40).optCenterCrop(true).optPackLabel(true).optThreads(2).build(), null).pack(mlst);
    DebianPython.Result m = DebianPython.runMxnet(List.of(script.toString(), tmp.resolve("ml").toString(), "--iter", "3,40,40"), 300);
    assertThat(m.code()).as(m.out() + m.err()).isZero();
    assertThat(m.out()).contains("\"image_record_iter_records\": 12");
  }

  @Test
  void scaledDecodeChangesOnlyLargeImagesAndKeepsTheirSize() throws Exception {
    Path root = tmp.resolve("img");
    List<LstEntry> list = new ArrayList<>();
    int[][] sizes = {{70, 50}, {79, 59}, {400, 300}, {161, 330}}; // the last two are >= 2x the target
    for (int i = 0; i < sizes.length; i++) {
      TestImages.jpeg(root.resolve("s" + i + ".jpg"), sizes[i][0], sizes[i][1], i);
      list.add(LstEntry.of(i, 0, "s" + i + ".jpg"));
    }
    Path a = tmp.resolve("a.lst");
    Path b = tmp.resolve("b.lst");
    LstWriter.writeAll(a, list);
    LstWriter.writeAll(b, list);
    new Packer(PackConfig.builder(root).optResize(30).optThreads(2).build(), null).pack(a);
    new Packer(PackConfig.builder(root).optResize(30).optThreads(2).optScaledDecode(true).build(), null).pack(b);
    List<RawRecord> ra = readAll(tmp.resolve("a.rec"));
    List<RawRecord> rb = readAll(tmp.resolve("b.rec"));
    for (int i = 0; i < sizes.length; i++) {
      byte[] pa = ra.get(i).data();
      byte[] pb = rb.get(i).data();
      if (i < 2) {
        assertThat(pb).as("image %d is below twice the target: default bytes", i).isEqualTo(pa);
      } else {
        assertThat(pb).as("image %d", i).isNotEqualTo(pa);
      }
      Pixels x = ImageCodec.decode(ImageRecordHeader.decode(pa).image(pa), ColorMode.COLOR);
      Pixels y = ImageCodec.decode(ImageRecordHeader.decode(pb).image(pb), ColorMode.COLOR);
      assertThat(new int[] {y.width(), y.height()}).as("image %d", i).containsExactly(x.width(), x.height());
    }
    assertThatThrownBy(() -> PackConfig.builder(root).optScaledDecode(true).build())
        .isInstanceOf(UsageException.class).hasMessageContaining("--scaled-decode needs --resize");
  }
}
