/** Batch prediction over image files with a loaded model. */
package io.imgclass.core.infer;
