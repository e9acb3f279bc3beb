/**
 * What a check found, as a value ({@link dev.leakproof.internal.finding.Finding}), and the evidence
 * it carries, which renders itself ({@link dev.leakproof.internal.finding.Evidence}: its JSON fields
 * and HTML sections, placed by the report at a {@link dev.leakproof.internal.finding.Place}), with the
 * inline plots evidence draws ({@code SvgPlot}). Low on purpose: the measuring packages' results are
 * evidence, the checks make findings, the report renders them without knowing any kind. Uses
 * {@code text} and the fixtures' JSON codec; nothing above it.
 */
package dev.leakproof.internal.finding;
