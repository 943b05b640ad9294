/**
 * Packing image lists into MXNet RecordIO ({@code .rec} + {@code .idx}) with im2rec's semantics:
 * parallel decode/encode, one writer in list order, bad images reported instead of crashing.
 */
package io.imgclass.core.pack;
