/**
 * Bridges into Netty's own machinery: its buffer leak detector (reports turned into findings) and
 * the scheduled-task queues of event loops. Reaches Netty internals by reflection, in one place;
 * uses only {@code text} below it.
 */
package dev.leakproof.internal.netty;
