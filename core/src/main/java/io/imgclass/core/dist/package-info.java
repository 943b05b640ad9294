/**
 * Distributed training over MXNet's parameter server: a JNA binding to libmxnet's kvstore C API
 * (the library DJL already extracted), the kvstore itself, a local cluster of scheduler, servers
 * and workers for {@code imgclass launch}, and a watchdog so a dead node never leaves the others
 * waiting. Roles come from the {@code DMLC_*} environment variables, as with MXNet's own
 * launchers. (Not to be confused with the {@code dist/} Maven module, the jlink image.)
 */
package io.imgclass.core.dist;
