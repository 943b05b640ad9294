/**
 * The network and its artifact: SageMaker's ResNet as one immutable graph description ({@link
 * io.imgclass.core.model.Graph}, built by {@link io.imgclass.core.model.ResNet}), which is the
 * single source for the MXNet symbol JSON ({@link io.imgclass.core.model.SymbolJson}), the shapes
 * and parameter counts ({@link io.imgclass.core.model.ShapeInference}) and the runnable networks
 * ({@link io.imgclass.core.model.NetworkRunner}); the {@code .params} NDArray list ({@link
 * io.imgclass.core.model.ParamsFile}) and {@code model.tar.gz} ({@link
 * io.imgclass.core.model.ModelArchive}).
 */
package io.imgclass.core.model;
