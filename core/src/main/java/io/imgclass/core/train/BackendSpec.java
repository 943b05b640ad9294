package io.imgclass.core.train;

import io.imgclass.core.model.Graph;
import io.imgclass.core.model.ImageShape;
import io.imgclass.core.model.ParamSet;

/**
 * What a {@link TrainBackend} is built from.
 *
 * @param hp the job's hyperparameters
 * @param graph the full network (with its loss head), whose argument order keys the kvstore
 * @param shape the input C,H,W
 * @param initial the starting weights and BatchNorm statistics
 * @param optimizerState a resumed run's optimizer state, or null
 * @param schedule the learning-rate schedule
 * @param loss the loss and labels
 * @param gpus 0 for the CPU, else data-parallel over this many GPUs
 * @param batchNormParts slices per batch that BatchNorm normalises separately (a test seam; 1 normally)
 * @param kv the kvstore worker, or null to update locally
 * @param epochSize updates per epoch (for the kvstore's servers)
 * @param log where the backend reports its set-up
 */
record BackendSpec(TrainingHyperparameters hp, Graph graph, ImageShape shape, ParamSet initial, ParamSet optimizerState,
    LrSchedule schedule, TrainingLoss loss, int gpus, int batchNormParts, KvWorker kv, long epochSize, TrainingLog log) {}
