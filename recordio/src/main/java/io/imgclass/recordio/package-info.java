/**
 * MXNet RecordIO: dmlc framing with magic escaping ({@link io.imgclass.recordio.RecordIOWriter},
 * {@link io.imgclass.recordio.RecordIOReader}), the {@code .idx} index ({@link
 * io.imgclass.recordio.RecordIndex}) and the image record header ({@link
 * io.imgclass.recordio.ImageRecordHeader}). No third-party dependencies.
 */
package io.imgclass.recordio;
