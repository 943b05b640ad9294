package io.imgclass.core.model;

import io.imgclass.core.UsageException;
import java.util.Locale;

/** SageMaker's {@code precision_dtype}: the dtype the network computes in. */
public enum Precision {
  /** Everything in float32 (the default); the input goes through {@code _copy} named {@code id}. */
  FLOAT32,
  /** The input is cast to float16 after {@code data}, and the FC output cast back to float32. */
  FLOAT16;

  /** The value as the hyperparameter spells it. */
  public String hyperparameterValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code float32} or {@code float16}. */
  public static Precision parse(String value) {
    for (Precision p : values()) {
      if (p.hyperparameterValue().equals(value.strip())) {
        return p;
      }
    }
    throw new UsageException("precision_dtype must be one of float32, float16; got '" + value + "'");
  }
}
