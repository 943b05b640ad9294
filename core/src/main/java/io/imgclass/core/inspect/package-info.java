/**
 * {@code imgclass inspect}: what is inside a {@code .rec} file, and whether it and its {@code .idx}
 * are sound. {@link io.imgclass.core.inspect.RecInspector} reads the file once (resynchronising
 * over damage) and produces an {@link io.imgclass.core.inspect.InspectReport};
 * {@link io.imgclass.core.inspect.InspectFormatter} renders it as text or as the JSON documented
 * in {@code docs/formats.md} ("inspect JSON").
 */
package io.imgclass.core.inspect;
