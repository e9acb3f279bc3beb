/**
 * The reports of a test class: a model ({@link dev.leakproof.internal.report.ClassReport}) built
 * from the verdicts' findings, rendered as JSON ({@code JsonReport}) and as one HTML page
 * ({@code HtmlReport}, with {@code SvgPlot}'s inline plots). Uses {@code check} (findings and their
 * evidence), {@code config} and {@code text}; nothing above it.
 */
package dev.leakproof.internal.report;
