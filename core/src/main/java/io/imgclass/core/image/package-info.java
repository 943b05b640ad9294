/**
 * The one image path shared by packing, training and inference: decode bytes to 8-bit pixels
 * ({@link io.imgclass.core.image.ImageCodec}), centre crop and shorter-side resize with OpenCV's
 * {@code INTER_LINEAR} arithmetic ({@link io.imgclass.core.image.Resize}), and JPEG/PNG encoding.
 */
package io.imgclass.core.image;
