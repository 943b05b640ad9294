/**
 * im2rec's {@code .lst} image lists: the line format ({@link io.imgclass.core.lst.LstReader},
 * {@link io.imgclass.core.lst.LstWriter}), list generation with im2rec's exact traversal, shuffle
 * and split rules ({@link io.imgclass.core.lst.ListMaker}), and the persisted class map.
 */
package io.imgclass.core.lst;
