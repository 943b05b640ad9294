package io.imgclass.core.infer;

import io.imgclass.core.ImgclassException;
import io.imgclass.core.image.ColorMode;
import io.imgclass.core.image.ImageCodec;
import io.imgclass.core.image.ImageDecodeException;
import io.imgclass.core.image.Pixels;
import io.imgclass.core.image.Resize;
import io.imgclass.core.model.ImageShape;
import io.imgclass.core.train.Augmenter;
import io.imgclass.core.train.TrainingHyperparameters;

/**
 * How an encoded image becomes the network input (raw 0–255 values, CHW float32, RGB or grey; no
 * mean/std because {@code bn_data} normalises inside the network).
 *
 * <ul>
 *   <li>{@link Kind#STRETCH}, the default: what SageMaker's endpoint does. The decoded image is
 *       resized directly to image_shape's (W, H), aspect ratio not kept, nothing cropped, with
 *       bilinear interpolation as MXNet's {@code mx.image.imresize} (OpenCV {@code INTER_LINEAR})
 *       computes it ({@link Resize#to}).
 *   <li>{@link Kind#CENTER_CROP}: what training's validation pass does (spec §4.3): the shorter side
 *       resized to {@code resize} (when > 0), then a centre crop of image_shape; an image smaller
 *       than image_shape is first scaled up. Users ask for it because the endpoint's stretch makes
 *       its accuracy differ from the reported validation accuracy (spec §5 item 10).
 * </ul>
 *
 * Decoding is RGB, or grey (OpenCV's weights) when image_shape has one channel. Thread-safe.
 *
 * @param kind stretch or centre crop
 * @param resize shorter side before the centre crop, or 0; must be 0 for stretch
 * @param shape the network input shape
 */
public record Preprocessing(Kind kind, int resize, ImageShape shape) {
  /** The two pipelines. */
  public enum Kind {
    /** SageMaker's endpoint: resize to (W, H), no crop. */
    STRETCH,
    /** Training's validation: optional shorter-side resize, centre crop. */
    CENTER_CROP;

    /** Parses {@code stretch} or {@code center-crop}. */
    public static Kind parse(String s) {
      return switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
        case "stretch" -> STRETCH;
        case "center-crop", "centre-crop" -> CENTER_CROP;
        default -> throw new io.imgclass.core.UsageException(
            "preprocessing must be stretch or center-crop, got '" + s + "'");
      };
    }
  }

  /** Checks the combination. */
  public Preprocessing {
    if (shape.channels() != 1 && shape.channels() != 3) {
      throw new ImgclassException("images need 1 or 3 channels; the model takes " + shape);
    }
    if (resize < 0) {
      throw new io.imgclass.core.UsageException("--resize must be >= 0, got " + resize);
    }
    if (kind == Kind.STRETCH && resize != 0) {
      throw new io.imgclass.core.UsageException("--resize only applies to --preprocess center-crop");
    }
  }

  /** SageMaker's endpoint preprocessing for this shape. */
  public static Preprocessing stretch(ImageShape shape) {
    return new Preprocessing(Kind.STRETCH, 0, shape);
  }

  /** The colour mode images are decoded in. */
  public ColorMode colorMode() {
    return shape.channels() == 1 ? ColorMode.GRAY : ColorMode.COLOR;
  }

  /** Decodes and preprocesses one encoded image into a new C·H·W array. */
  public float[] apply(byte[] encoded) throws ImageDecodeException {
    float[] out = new float[shape.size()];
    apply(ImageCodec.decode(encoded, colorMode()), out, 0);
    return out;
  }

  /** Preprocesses decoded pixels into {@code out} at {@code offset}. */
  public void apply(Pixels decoded, float[] out, int offset) {
    int[] chw = {shape.channels(), shape.height(), shape.width()};
    if (kind == Kind.STRETCH) {
      Pixels p = Resize.to(decoded, shape.width(), shape.height());
      // After the stretch the "centre crop" of image_shape is the whole image: the augmenter
      // only converts HWC bytes to CHW floats here.
      new Augmenter(TrainingHyperparameters.Augmentation.NONE, chw, 0).apply(p, null, out, offset);
    } else {
      // Exactly the validation pipeline of training (no random state is used for NONE).
      new Augmenter(TrainingHyperparameters.Augmentation.NONE, chw, resize).apply(decoded, null, out, offset);
    }
  }
}
