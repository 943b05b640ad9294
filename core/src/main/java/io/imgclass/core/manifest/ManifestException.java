package io.imgclass.core.manifest;

import io.imgclass.core.ImgclassException;
import java.nio.file.Path;

/** A manifest line that a strict reader cannot accept; the message names file, line and rule. */
public final class ManifestException extends ImgclassException {
  private static final long serialVersionUID = 1L;

  private final transient Issue issue;

  /** An issue in a file. */
  public ManifestException(Path file, Issue issue) {
    super(file + ":" + issue.line() + (issue.column() > 0 ? ":" + issue.column() : "") + ": "
        + issue.rule().id() + ": " + issue.message());
    this.issue = issue;
  }

  /** What was wrong. */
  public Issue issue() {
    return issue;
  }
}
