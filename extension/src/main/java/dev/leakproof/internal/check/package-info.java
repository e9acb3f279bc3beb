/**
 * The checks of a verdict, one class each, and the value they return: a
 * {@link dev.leakproof.internal.finding.Finding} (kind, outcome, message, counts, evidence).
 * Each check owns its words: the failure message is the product. A check looks at a
 * {@link dev.leakproof.internal.check.Window} (what the verdict judges) through the class's
 * {@link dev.leakproof.internal.check.ClassSession}; the order they run in is the session's.
 * Uses every measuring package below it ({@code tracking}, {@code gc}, {@code heap}, {@code size},
 * {@code trace}, {@code os}, {@code netty}, {@code config}, {@code finding}, {@code text}, {@code wait}); nothing
 * above it ({@code report}, {@code session}).
 */
package dev.leakproof.internal.check;
