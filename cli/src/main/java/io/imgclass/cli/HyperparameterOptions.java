package io.imgclass.cli;

import io.imgclass.core.train.HyperparameterDef;
import io.imgclass.core.train.Hyperparameters;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Adds one kebab-case option per SageMaker hyperparameter to a command, from the definitions in
 * core, so the CLI, {@code hyperparameters.json} and the docs cannot drift apart.
 */
public final class HyperparameterOptions implements CommandLine.IModelTransformer {
  @Override
  public CommandSpec transform(CommandSpec spec) {
    for (HyperparameterDef d : Hyperparameters.DEFINITIONS) {
      String def = d.required() ? "required" : d.defaultValue() == null ? "unset" : d.defaultValue();
      String accepted = d.expectation();
      spec.addOption(OptionSpec.builder(d.option())
          .paramLabel(label(d))
          .type(String.class)
          .description(d.description() + " Default: " + def + ". Accepts " + accepted + ".")
          .descriptionKey(d.name())
          .build());
    }
    return spec;
  }

  private static String label(HyperparameterDef d) {
    return switch (d.kind()) {
      case INT -> "INT";
      case FLOAT -> "FLOAT";
      case ENUM, BOOL -> "VALUE";
      case INT_LIST -> "EPOCHS";
      case SHAPE -> "C,H,W";
    };
  }

  /** The hyperparameters given on the command line, by snake_case name. */
  public static Map<String, String> given(CommandSpec spec) {
    Map<String, String> out = new LinkedHashMap<>();
    CommandLine.ParseResult pr = spec.commandLine().getParseResult();
    for (HyperparameterDef d : Hyperparameters.DEFINITIONS) {
      OptionSpec o = spec.findOption(d.option());
      if (o != null && pr != null && pr.hasMatchedOption(o)) {
        out.put(d.name(), o.getValue());
      }
    }
    return out;
  }
}
