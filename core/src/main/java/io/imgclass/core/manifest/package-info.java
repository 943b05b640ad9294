/**
 * SageMaker augmented manifests (JSON Lines, spec §1.2): a streaming reader shared by validation,
 * packing and training, the {@code validate-manifest} rules and reports, and the packer that writes
 * a manifest as RecordIO in the Pipe-mode or im2rec image-record layout.
 */
package io.imgclass.core.manifest;
