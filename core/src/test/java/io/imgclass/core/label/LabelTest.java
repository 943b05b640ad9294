package io.imgclass.core.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "1|1",
    " 3 |3",
    "1.0|1",
    "1e0|1",
    "[0, 2]|[0, 2]",
    "[0,2]|[0, 2]",
    " [ 1 , 0 , 1 ] |[1, 0, 1]",
    "[]|[]",
  })
  void stringFormsParseAsJsonText(String text, String expected) {
    LabelValue v = new LabelValue();
    assertThat(v.parseText(text)).isNull();
    assertThat(v.toString()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "cat|not a number or a list of numbers",
    "0,2|not a number or a list of numbers",
    "[0 2]|not a number or a list of numbers",
    "[[1]]|item 0 of the list in the string is a list",
    "['1']|not a number or a list of numbers",
    "[\"1\"]|item 0 of the list in the string is a string",
    "true|holds a boolean",
    "\"x\"|holds a string",
  })
  void otherStringsAreRefused(String text, String why) {
    assertThat(new LabelValue().parseText(text)).contains(why);
  }

  @Test
  void emptyStringIsRefused() {
    assertThat(new LabelValue().parseText("  ")).isEqualTo("the string is empty");
  }

  @Test
  void textFormsAreWhatPipeModeCarries() {
    assertThat(new Label.Single(1).toText()).isEqualTo("1");
    assertThat(new Label.MultiHot(new float[] {1, 0, 1}).toText()).isEqualTo("[1, 0, 1]");
    assertThat(new Label.ClassIds(new int[] {0, 2}).toText()).isEqualTo("[0, 2]");
  }

  @Test
  void recordLabelsExpandClassIdsToMultiHot() {
    assertThat(new Label.ClassIds(new int[] {2, 0}).toRecordLabels(4)).containsExactly(1, 0, 1, 0);
    assertThat(new Label.Single(3).toRecordLabels(4)).containsExactly(3);
    assertThat(new Label.MultiHot(new float[] {0, 1}).toRecordLabels(2)).containsExactly(0, 1);
    assertThatThrownBy(() -> new Label.MultiHot(new float[] {0, 1}).toRecordLabels(3))
        .hasMessageContaining("length 2 but num_classes is 3");
    assertThatThrownBy(() -> new Label.ClassIds(new int[] {1, 1})).hasMessageContaining("distinct");
  }

  @Test
  void checksNameTheProblem() {
    LabelValue v = new LabelValue();
    v.startArray();
    v.add(0);
    v.add(5);
    assertThat(LabelCheck.check(v, LabelFormat.CLASS_ID, 4).problem()).isEqualTo(LabelProblem.CLASS_ID_OUT_OF_RANGE);
    assertThat(LabelCheck.check(v, LabelFormat.CLASS_ID, 0)).isNull();
    assertThat(LabelCheck.check(v, LabelFormat.MULTI_HOT, 2).problem()).isEqualTo(LabelProblem.MULTI_HOT_VALUE);
    assertThat(LabelCheck.check(v, LabelFormat.SINGLE, 4).problem()).isEqualTo(LabelProblem.FORMAT_MISMATCH);
    v.setScalar(1e12);
    assertThat(LabelCheck.check(v, LabelFormat.SINGLE, 0).problem()).isEqualTo(LabelProblem.OUT_OF_RANGE);
    v.setScalar(-1);
    assertThat(LabelCheck.check(v, LabelFormat.SINGLE, 0).message()).isEqualTo(
        "label -1 is outside [0, 1048576 (num_classes not given))");
    assertThat(LabelFormat.parse("Multi-Hot")).isEqualTo(LabelFormat.MULTI_HOT);
  }
}
