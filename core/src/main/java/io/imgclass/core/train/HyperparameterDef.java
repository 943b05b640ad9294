package io.imgclass.core.train;

import java.util.List;

/**
 * One SageMaker hyperparameter: its snake_case name, what values it takes, its default and what it
 * means. The table in {@link Hyperparameters#DEFINITIONS} is the single source for the CLI options,
 * {@code hyperparameters.json} parsing and {@code docs/hyperparameters.md}.
 *
 * @param name SageMaker's snake_case name
 * @param kind how values are parsed and checked
 * @param defaultValue SageMaker's effective default as a string, or null when unset by default
 * @param required whether a training job must give it
 * @param min lower bound for numbers (inclusive unless {@code minExclusive}); null for none
 * @param max upper bound for numbers (inclusive); null for none
 * @param minExclusive whether {@code min} itself is refused
 * @param choices the accepted values for enums, flags and num_layers; empty otherwise
 * @param description what it does, for help and docs
 */
public record HyperparameterDef(
    String name,
    Kind kind,
    String defaultValue,
    boolean required,
    Double min,
    Double max,
    boolean minExclusive,
    List<String> choices,
    String description) {

  /** How a value is read. */
  public enum Kind {
    /** A whole number. */
    INT,
    /** A real number. */
    FLOAT,
    /** One of {@link HyperparameterDef#choices()}. */
    ENUM,
    /** {@code True} or {@code False}. */
    BOOL,
    /** A comma-separated list of whole numbers. */
    INT_LIST,
    /** {@code channels,height,width}. */
    SHAPE
  }

  public HyperparameterDef {
    choices = List.copyOf(choices);
  }

  /** The kebab-case CLI option for this hyperparameter, e.g. {@code --mini-batch-size}. */
  public String option() {
    return "--" + name.replace('_', '-');
  }

  /** What SageMaker's error message says the hyperparameter expects. */
  public String expectation() {
    return switch (kind) {
      case ENUM, BOOL -> "one of the following: " + String.join(", ", choices);
      case INT -> choices.isEmpty()
          ? "an integer " + rangeText()
          : "one of the following: " + String.join(", ", choices);
      case FLOAT -> "a float " + rangeText();
      case INT_LIST -> "a comma-separated list of non-negative integers in increasing order, e.g. \"10, 20\"";
      case SHAPE -> "\"channels,height,width\" with channels 1 or 3, e.g. \"3,224,224\"";
    };
  }

  /** The numeric range in interval notation, e.g. {@code [0, 1]} or {@code > 0}. */
  public String rangeText() {
    if (min == null && max == null) {
      return "";
    }
    if (max == null) {
      return (minExclusive ? "> " : ">= ") + fmt(min);
    }
    return (minExclusive ? "(" : "[") + fmt(min) + ", " + fmt(max) + "]";
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
