/**
 * The command line: one thin picocli class per subcommand that parses options, checks their
 * combinations, builds one typed value for {@code io.imgclass.core} and maps the result to
 * output and an exit code (0 ok, 1 failure or invalid data, 2 usage; {@link
 * io.imgclass.cli.ExitCodes}). Options shared by several commands are mixins
 * ({@link io.imgclass.cli.EngineOptions}). Nothing here is needed to use the core from Java.
 */
package io.imgclass.cli;
