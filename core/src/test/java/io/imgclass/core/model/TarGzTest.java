package io.imgclass.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgclass.core.ImgclassException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarGzTest {

  private static byte[] tar(List<TarGz.Entry> entries) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarGz.write(entries, out, 1_700_000_000L);
    return out.toByteArray();
  }

  /** A raw ustar header with any name and type, to build archives our writer would refuse. */
  private static byte[] rawTar(String name, char type, byte[] content) throws Exception {
    byte[] h = new byte[512];
    System.arraycopy(name.getBytes(StandardCharsets.UTF_8), 0, h, 0, name.length());
    System.arraycopy(String.format("%07o\0", 0644).getBytes(), 0, h, 100, 8);
    System.arraycopy(String.format("%011o\0", content.length).getBytes(), 0, h, 124, 12);
    h[156] = (byte) type;
    System.arraycopy("ustar\u000000".getBytes(), 0, h, 257, 8);
    java.util.Arrays.fill(h, 148, 156, (byte) ' ');
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xFF;
    }
    System.arraycopy(String.format("%06o\0 ", sum).getBytes(), 0, h, 148, 8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(h);
      gz.write(content);
      gz.write(new byte[(512 - content.length % 512) % 512 + 1024]);
    }
    return out.toByteArray();
  }

  @Test
  void roundTrip() throws Exception {
    byte[] big = new byte[1500];
    big[1499] = 9;
    byte[] t = tar(List.of(new TarGz.Entry("a.json", "[1]".getBytes()), new TarGz.Entry("b.params", big),
        new TarGz.Entry("empty", new byte[0])));
    Map<String, byte[]> m = TarGz.read(new ByteArrayInputStream(t), "t.tar.gz");
    assertThat(m.keySet()).containsExactly("a.json", "b.params", "empty");
    assertThat(m.get("b.params")).isEqualTo(big);
  }

  @Test
  void pythonTarfileReadsOurArchive(@TempDir Path dir) throws Exception {
    Peers.requireNumpy(); // the same Debian python3; numpy itself is not needed here
    Path f = dir.resolve("m.tar.gz");
    Files.write(f, tar(List.of(new TarGz.Entry("image-classification-symbol.json", "{}".getBytes()))));
    Peers.Result r = Peers.run(List.of(Peers.PYTHON, "-c",
        "import tarfile,sys; t=tarfile.open(sys.argv[1]); print([(m.name, m.size, m.isfile()) for m in t.getmembers()])",
        f.toString()), 60);
    assertThat(r.err()).isEmpty();
    assertThat(r.out().strip()).isEqualTo("[('image-classification-symbol.json', 2, True)]");
  }

  @Test
  void refusesEntriesThatEscape(@TempDir Path dir) throws Exception {
    for (String bad : List.of("../evil", "/etc/evil", "a/../../evil")) {
      byte[] t = rawTar(bad, '0', "x".getBytes());
      assertThatThrownBy(() -> TarGz.read(new ByteArrayInputStream(t), "e.tar.gz"))
          .isInstanceOf(ImgclassException.class).hasMessageContaining("refusing tar entry '" + bad + "'");
    }
    byte[] link = rawTar("evil", '2', new byte[0]);
    assertThatThrownBy(() -> TarGz.read(new ByteArrayInputStream(link), "e.tar.gz"))
        .hasMessageContaining("refusing tar entry 'evil' at byte 0 of type '2'");
    Path archive = dir.resolve("e.tar.gz");
    Files.write(archive, rawTar("../evil", '0', "x".getBytes()));
    Path target = dir.resolve("out");
    assertThatThrownBy(() -> TarGz.extract(archive, target)).isInstanceOf(ImgclassException.class);
    assertThat(dir.resolve("evil")).doesNotExist();
    // A "./" prefix (what `tar -C dir .` writes) is fine.
    assertThat(TarGz.read(new ByteArrayInputStream(rawTar("./ok", '0', "y".getBytes())), "x").keySet())
        .containsExactly("ok");
  }

  @Test
  void corruptHeaderNamesTheOffset() throws Exception {
    byte[] t = rawTar("ok", '0', "y".getBytes());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(new byte[] {1, 2, 3});
      gz.write(new byte[509]);
    }
    assertThatThrownBy(() -> TarGz.read(new ByteArrayInputStream(out.toByteArray()), "c.tar.gz"))
        .hasMessage("c.tar.gz: bad tar header checksum at byte 0 (not a tar archive?)");
    assertThat(t).isNotEmpty();
  }
}
