/**
 * Label formats SageMaker's Image Classification algorithm accepts: a single class id, a multi-hot
 * vector of length num_classes, or a list of class ids (spec §1.2), with the checks and the text
 * form each one has in a Pipe-mode stream.
 */
package io.imgclass.core.label;
