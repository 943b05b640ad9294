/**
 * Inference with a loaded model: preprocessing as SageMaker's endpoint or as validation does
 * ({@link io.imgclass.core.infer.Preprocessing}), batch prediction over files and lists, and
 * SageMaker's HTTP inference contract ({@link io.imgclass.core.infer.InferenceHandler} without
 * sockets, {@link io.imgclass.core.infer.InferenceServer} on the JDK's HTTP server).
 */
package io.imgclass.core.infer;
