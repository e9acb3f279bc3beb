/**
 * The running JVM's diagnostic commands, on the ground floor:
 * {@link dev.leakproof.internal.jvm.DiagnosticCommands} runs what {@code jcmd} would, in-process,
 * for the collector forcing, the class histogram and the string table. Uses nothing of Leakproof's.
 */
package dev.leakproof.internal.jvm;
