/**
 * The way out of MXNet: a network and its weights written as an ONNX model by our own code on
 * the protobuf classes generated from {@code src/main/protobuf/onnx.proto}, and the ONNX Runtime
 * engine that runs it (through DJL) behind the same inference seam as MXNet and PyTorch.
 */
package io.imgclass.core.onnx;
