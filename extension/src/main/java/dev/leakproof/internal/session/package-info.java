/**
 * The top floor: one test class's session (the fixture server, the tracker, Netty's leak
 * detection, the report) and the order of the checks ({@code Verdicts}). Called by the public
 * {@code ConnectionLeakDetector}; uses everything below.
 */
package dev.leakproof.internal.session;
