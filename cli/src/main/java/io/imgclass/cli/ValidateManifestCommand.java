package io.imgclass.cli;

import io.imgclass.core.label.LabelFormat;
import io.imgclass.core.manifest.Attributes;
import io.imgclass.core.model.ImageShape;
import io.imgclass.core.manifest.ManifestValidator;
import io.imgclass.core.manifest.RefResolver;
import io.imgclass.core.manifest.ReportFormat;
import io.imgclass.core.manifest.ReportWriter;
import io.imgclass.core.manifest.ValidationConfig;
import io.imgclass.core.manifest.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code imgclass validate-manifest}: checks an augmented manifest the way CI wants it checked. */
@Command(
    name = "validate-manifest",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Checks a SageMaker augmented manifest (JSON Lines) for Image Classification: JSON, attributes,"
          + " labels, image refs and (optionally) the images themselves. Rule ids and report schemas:"
          + " docs/validate-manifest.md.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:valid (warnings allowed unless --strict)",
      "1:problems found, or the manifest cannot be read",
      "2:usage error"
    })
public final class ValidateManifestCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MANIFEST", description = "The .jsonl / .manifest file.")
  Path manifest;

  @Option(names = "--num-classes", paramLabel = "N",
      description = "num_classes; needed for range, multi-hot length and zero-example checks.")
  Integer numClasses;

  @Option(names = "--attribute-names", paramLabel = "IMAGE,LABEL", defaultValue = "source-ref,class",
      description = "Attribute names in SageMaker's order, image first (default: ${DEFAULT-VALUE}).")
  String attributeNames;

  @Option(names = "--label-format", paramLabel = "FORMAT", defaultValue = "auto",
      description = "single, multi-hot, class-id, or auto to detect it from the first 1000 lines"
          + " (default: ${DEFAULT-VALUE}).")
  String labelFormat;

  @Option(names = "--image-root", paramLabel = "DIR", description = "Directory that non-s3:// refs are relative to.")
  Path imageRoot;

  @Option(names = "--s3-prefix-map", paramLabel = "s3://BUCKET/PREFIX=DIR",
      description = "Resolve refs under an S3 prefix to a local directory (repeatable; longest prefix wins).")
  List<String> prefixMaps = List.of();

  @Option(names = "--check-images", description = "Decode every referenced image (needs --image-root or --s3-prefix-map).")
  boolean checkImages;

  @Option(names = "--image-shape", paramLabel = "C,H,W",
      description = "With --check-images: report images smaller than H x W (SageMaker training fails on them).")
  String imageShape;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "Report format: text, json or junit (default: ${DEFAULT-VALUE}).")
  ReportFormat format;

  @Option(names = "--max-errors", paramLabel = "N", defaultValue = "100",
      description = "List at most N errors and N warnings; all are still counted; 0 lists all (default: ${DEFAULT-VALUE}).")
  int maxErrors;

  @Option(names = "--strict", description = "Warnings fail validation too.")
  boolean strict;

  @picocli.CommandLine.Mixin MaxPixelsOption maxPixels;

  @Override
  public Integer call() throws Exception {
    maxPixels.apply();
    if (!Files.isRegularFile(manifest)) {
      throw new java.nio.file.NoSuchFileException(manifest.toString());
    }
    if (numClasses != null && numClasses < 1) {
      throw new io.imgclass.core.UsageException("--num-classes must be at least 1, got " + numClasses);
    }
    LabelFormat lf;
    try {
      lf = labelFormat.equalsIgnoreCase("auto") ? null : LabelFormat.parse(labelFormat);
    } catch (IllegalArgumentException e) {
      throw new io.imgclass.core.UsageException("--label-format: " + e.getMessage().replace(")", " or auto)"));
    }
    ValidationConfig.Builder b = ValidationConfig.builder(manifest)
        .optAttributes(Attributes.parse(List.of(attributeNames.split(",", -1))))
        .optNumClasses(numClasses == null ? 0 : numClasses)
        .optLabelFormat(lf)
        .optImageRoot(imageRoot)
        .optCheckImages(checkImages)
        .optImageShape(imageShape == null ? null : ImageShape.parse(imageShape))
        .optMaxErrors(maxErrors)
        .optStrict(strict);
    for (String m : prefixMaps) {
      b.addPrefixMap(RefResolver.PrefixMapping.parse(m));
    }
    ValidationReport report = ManifestValidator.validate(b.build());
    ReportWriter.write(report, format, spec.commandLine().getOut());
    return report.passed() ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
