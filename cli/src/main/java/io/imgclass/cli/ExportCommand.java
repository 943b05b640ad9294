package io.imgclass.cli;

import io.imgclass.core.model.ImageShape;
import io.imgclass.core.onnx.OnnxExport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code imgclass export}: a model.tar.gz as an ONNX model. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Writes a model.tar.gz (ours or SageMaker's) as an ONNX model (opset 13): input 'data' of shape"
          + " [batch, C, H, W] with raw 0-255 values as the symbol takes them, output 0 the class"
          + " probabilities (softmax, or sigmoid for multi-label), class names and image shape in the"
          + " model's metadata. The file is written to a temporary name and renamed when complete.",
      "Run it with 'predict/evaluate --engine onnxruntime --model MODEL.onnx', or with any ONNX runtime.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:written", "1:the model cannot be read or has an operator ONNX export does not cover",
      "2:bad command line"})
final class ExportCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "model.tar.gz or a folder with its files.")
  Path model;

  @Option(names = "--onnx", required = true, paramLabel = "FILE.onnx", description = "The ONNX model to write.")
  Path onnx;

  @Option(names = "--image-shape", paramLabel = "C,H,W",
      description = "Input shape (default: the artifact's model-shapes.json).")
  String imageShape;

  @Option(names = "--no-fold-batchnorm", negatable = false,
      description = "Keep each BatchNorm that follows a convolution as its own node instead of folding it into"
          + " the convolution's weights (the outputs agree within float rounding either way).")
  boolean noFold;

  @Override
  public Integer call() throws Exception {
    ImageShape shape = imageShape == null ? null : ImageShape.parse(imageShape);
    OnnxExport.Summary s = OnnxExport.exportFile(model, shape, new OnnxExport.Options(!noFold), onnx);
    PrintWriter out = spec.commandLine().getOut();
    out.println(String.format(Locale.ROOT,
        "imgclass export: wrote %s (opset %d, %d nodes, %d BatchNorms folded, %.1f MB; input data [batch,%d,%d,%d],"
            + " output %s [batch,%d])",
        s.target(), OnnxExport.OPSET, s.nodes(), s.foldedBatchNorms(), s.bytes() / 1e6, s.imageShape().channels(),
        s.imageShape().height(), s.imageShape().width(), OnnxExport.OUTPUT, s.numClasses()));
    out.flush();
    return ExitCodes.OK;
  }
}
