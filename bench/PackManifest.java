import io.imgclass.core.label.LabelFormat;
import io.imgclass.core.manifest.ManifestPacker;
import io.imgclass.core.manifest.RefResolver;
import java.nio.file.Path;

/**
 * Bench helper (not a CLI command; `pack-recordio --manifest` will be the user-facing entry):
 * packs a manifest with ManifestPacker. Run as a single-file program on the launcher's classpath:
 *
 * <pre>java -cp 'dist/target/lib/*' bench/PackManifest.java MANIFEST S3MAP OUT_PREFIX LAYOUT NUM_CLASSES [FORMAT]</pre>
 */
public class PackManifest {
  public static void main(String[] a) throws Exception {
    ManifestPacker.Builder b = ManifestPacker.Config.builder(Path.of(a[0]), Path.of(a[2]))
        .addPrefixMap(RefResolver.PrefixMapping.parse(a[1]))
        .optLayout(ManifestPacker.Layout.valueOf(a[3]))
        .optNumClasses(Integer.parseInt(a[4]));
    if (a.length > 5) {
      b.optLabelFormat(LabelFormat.parse(a[5]));
    }
    long t0 = System.nanoTime();
    ManifestPacker.Result r = ManifestPacker.pack(b.build());
    System.out.printf("%s: %d lines -> %d records, %d bytes, label format %s, %.2f s%n",
        r.rec(), r.entries(), r.records(), r.bytes(), r.labelFormat(), (System.nanoTime() - t0) / 1e9);
  }
}
