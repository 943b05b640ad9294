/** Evaluation of a model on labelled data: accuracy, top-k, per-class metrics, confusion matrix. */
package io.imgclass.core.eval;
