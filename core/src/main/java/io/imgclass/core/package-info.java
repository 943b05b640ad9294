/**
 * imgclass's core: everything the tool knows, with no command-line code, so it can be used from
 * Java alone. The root holds the two exception types every package throws:
 * {@link io.imgclass.core.ImgclassException} (invalid data or a failed operation, exit 1 at the
 * command line) and {@link io.imgclass.core.UsageException} (invalid options, exit 2).
 *
 * <p>Packages, from the bottom up: {@code lst}, {@code label}, {@code manifest} (inputs as
 * users have them); {@code image} (one decode, resize and augmentation path for packing,
 * training and inference); {@code pack} and {@code inspect} (RecordIO); {@code model} (the
 * network description, SageMaker's artifact and the engines that run it); {@code data}
 * (training samples and batches); {@code train} and {@code dist} (the training job, locally or
 * over MXNet's kvstore); {@code infer} and {@code eval}. docs/architecture.md draws the map.
 */
package io.imgclass.core;
