package io.imgclass.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The four optimizers of SageMaker's algorithm with MXNet 1.x's update rules (spec §1.1), as one
 * DJL {@link Optimizer}. Unlike DJL's built-in optimizers it applies weight decay only to
 * parameters whose names end in {@code _weight} or {@code _gamma}, as MXNet's {@code
 * Module.init_optimizer} arranges through {@code wd_mult}; biases, betas and everything else get 0.
 *
 * <p>Per update, with {@code g = rescale_grad · grad + wd · w} (for sgd the wd term enters the
 * momentum instead, which is the same thing):
 *
 * <ul>
 *   <li>sgd: {@code m = μ·m − lr·g; w += m} (no state when μ = 0: {@code w −= lr·g})
 *   <li>nag: {@code m = μ·m + g; w −= lr·(g + μ·m)}
 *   <li>adam: {@code mean = β1·mean + (1−β1)·g; var = β2·var + (1−β2)·g²; w −= lr_t · mean /
 *       (√var + ε)}, with {@code lr_t = lr·√(1−β2^t)/(1−β1^t)}
 *   <li>rmsprop (not centred): {@code n = γ·n + (1−γ)·g²; w −= lr · g / √(n + ε)}
 * </ul>
 *
 * Arithmetic uses plain NDArray operations, so it runs on any DJL engine.
 */
public final class SageMakerOptimizer extends Optimizer {
  private final TrainingHyperparameters.OptimizerKind kind;
  private final LrSchedule schedule;
  private final float weightDecay;
  private final float momentum;
  private final float beta1;
  private final float beta2;
  private final float eps;
  private final float gamma;
  private final Function<String, String> nameOfParameter;
  private final Map<String, Map<Device, NDArray>> state1 = new ConcurrentHashMap<>();
  private final Map<String, Map<Device, NDArray>> state2 = new ConcurrentHashMap<>();
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();
  private volatile float lastLr;

  private SageMakerOptimizer(Builder b) {
    super(b);
    this.kind = b.kind;
    this.schedule = b.schedule;
    this.weightDecay = b.weightDecay;
    this.momentum = b.momentum;
    this.beta1 = b.beta1;
    this.beta2 = b.beta2;
    this.eps = b.eps;
    this.gamma = b.gamma;
    this.nameOfParameter = b.nameOfParameter;
  }

  /** A builder; {@code setRescaleGrad(1f / batch)} as MXNet does. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether MXNet's default wd_mult gives this parameter weight decay. */
  public static boolean decays(String parameterName) {
    return parameterName.endsWith("_weight") || parameterName.endsWith("_gamma");
  }

  /** The learning rate used by the latest update. */
  public float lastLearningRate() {
    return lastLr;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    // Our own count (not DJL's) so that a resumed run continues the schedule and adam's bias correction.
    int t = counts.merge(parameterId, 1, Integer::sum);
    float lr = schedule.lr(t);
    lastLr = lr;
    String name = nameOfParameter.apply(parameterId);
    float wd = name != null && decays(name) ? weightDecay : 0f;
    try (NDManager tmp = weight.getManager().newSubManager()) {
      NDArray g = grad.mul(rescaleGrad);
      g.attach(tmp);
      if (clipGrad > 0) {
        NDArray c = g.clip(-clipGrad, clipGrad);
        c.attach(tmp);
        g = c;
      }
      if (wd != 0f) {
        NDArray d = weight.mul(wd);
        d.attach(tmp);
        g.addi(d);
      }
      switch (kind) {
        case SGD -> {
          if (momentum == 0f) {
            weight.subi(g.muli(lr));
          } else {
            NDArray m = state(state1, parameterId, weight);
            m.muli(momentum).subi(g.muli(lr));
            weight.addi(m);
          }
        }
        case NAG -> {
          if (momentum == 0f) {
            weight.subi(g.muli(lr));
          } else {
            NDArray m = state(state1, parameterId, weight);
            m.muli(momentum).addi(g);
            NDArray step = m.mul(momentum);
            step.attach(tmp);
            weight.subi(step.addi(g).muli(lr));
          }
        }
        case ADAM -> {
          NDArray mean = state(state1, parameterId, weight);
          NDArray var = state(state2, parameterId, weight);
          mean.muli(beta1).addi(attach(g.mul(1f - beta1), tmp));
          var.muli(beta2).addi(attach(g.square(), tmp).muli(1f - beta2));
          double lrT = lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
          NDArray denom = attach(var.sqrt(), tmp).addi(eps);
          weight.subi(attach(mean.div(denom), tmp).muli((float) lrT));
        }
        case RMSPROP -> {
          NDArray n = state(state2, parameterId, weight);
          n.muli(gamma).addi(attach(g.square(), tmp).muli(1f - gamma));
          NDArray denom = attach(attach(n.add(eps), tmp).sqrt(), tmp);
          weight.subi(g.divi(denom).muli(lr));
        }
        default -> throw new IllegalStateException(kind.toString());
      }
    }
  }

  /**
   * The optimizer state by parameter name ({@code count:NAME} holds the update count), so a resumed
   * run continues exactly.
   */
  public io.imgclass.core.model.ParamSet exportState(Map<String, ai.djl.nn.Parameter> byName) {
    Map<String, io.imgclass.core.model.Tensor> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, ai.djl.nn.Parameter> e : byName.entrySet()) {
      String id = e.getValue().getId();
      Integer c = counts.get(id);
      if (c != null) {
        out.put("count:" + e.getKey(), new io.imgclass.core.model.Tensor(new long[] {1}, new float[] {c}));
      }
      putState(out, "s1:" + e.getKey(), state1.get(id));
      putState(out, "s2:" + e.getKey(), state2.get(id));
    }
    return new io.imgclass.core.model.ParamSet(out);
  }

  /** Restores {@link #exportState}; arrays are created on each weight's manager and device. */
  public void importState(io.imgclass.core.model.ParamSet state, Map<String, ai.djl.nn.Parameter> byName) {
    for (Map.Entry<String, ai.djl.nn.Parameter> e : byName.entrySet()) {
      String id = e.getValue().getId();
      NDArray w = e.getValue().getArray();
      io.imgclass.core.model.Tensor c = state.arrays().get("count:" + e.getKey());
      if (c != null) {
        counts.put(id, (int) c.data()[0]);
      }
      getState(state, "s1:" + e.getKey(), w, state1, id);
      getState(state, "s2:" + e.getKey(), w, state2, id);
    }
  }

  private static void putState(Map<String, io.imgclass.core.model.Tensor> out, String key, Map<Device, NDArray> m) {
    if (m != null && !m.isEmpty()) {
      NDArray a = m.values().iterator().next();
      out.put(key, new io.imgclass.core.model.Tensor(a.getShape().getShape(), a.toFloatArray()));
    }
  }

  private static void getState(io.imgclass.core.model.ParamSet state, String key, NDArray w,
      Map<String, Map<Device, NDArray>> store, String id) {
    io.imgclass.core.model.Tensor t = state.arrays().get(key);
    if (t != null) {
      NDArray a = w.getManager().create(t.data(), new ai.djl.ndarray.types.Shape(t.shape()));
      Map<Device, NDArray> m = new ConcurrentHashMap<>();
      m.put(w.getDevice(), a);
      store.put(id, m);
    }
  }

  private static NDArray attach(NDArray a, NDManager m) {
    a.attach(m);
    return a;
  }

  private NDArray state(Map<String, Map<Device, NDArray>> store, String id, NDArray weight) {
    return withDefaultState(store, id, weight.getDevice(), k -> weight.zerosLike());
  }

  /** Builds a {@link SageMakerOptimizer}. */
  public static final class Builder extends OptimizerBuilder<Builder> {
    private TrainingHyperparameters.OptimizerKind kind = TrainingHyperparameters.OptimizerKind.SGD;
    private LrSchedule schedule = LrSchedule.constant(0.1f);
    private float weightDecay;
    private float momentum;
    private float beta1 = 0.9f;
    private float beta2 = 0.999f;
    private float eps = 1e-8f;
    private float gamma = 0.9f;
    private Function<String, String> nameOfParameter = id -> null;

    /** Everything from a job's hyperparameters; the caller still sets rescale and names. */
    public Builder fromHyperparameters(TrainingHyperparameters hp, LrSchedule schedule) {
      this.kind = hp.optimizer();
      this.schedule = schedule;
      this.weightDecay = hp.weightDecay();
      this.momentum = hp.momentum();
      this.beta1 = hp.beta1();
      this.beta2 = hp.beta2();
      this.eps = hp.eps();
      this.gamma = hp.gamma();
      return this;
    }

    public Builder setKind(TrainingHyperparameters.OptimizerKind kind) {
      this.kind = kind;
      return this;
    }

    public Builder setSchedule(LrSchedule schedule) {
      this.schedule = schedule;
      return this;
    }

    public Builder optWeightDecay(float wd) {
      this.weightDecay = wd;
      return this;
    }

    public Builder optMomentum(float momentum) {
      this.momentum = momentum;
      return this;
    }

    public Builder optAdam(float beta1, float beta2, float eps) {
      this.beta1 = beta1;
      this.beta2 = beta2;
      this.eps = eps;
      return this;
    }

    public Builder optRmsProp(float gamma, float eps) {
      this.gamma = gamma;
      this.eps = eps;
      return this;
    }

    /** Maps DJL parameter ids to MXNet parameter names (for the weight-decay rule). */
    public Builder setParameterNames(Function<String, String> nameOfParameter) {
      this.nameOfParameter = nameOfParameter;
      return this;
    }

    @Override
    protected Builder self() {
      return this;
    }

    public SageMakerOptimizer build() {
      return new SageMakerOptimizer(this);
    }
  }
}
