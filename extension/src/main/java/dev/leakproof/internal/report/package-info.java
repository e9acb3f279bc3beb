/**
 * The reports of a test class: a model ({@link dev.leakproof.internal.report.ClassReport}) built
 * from the verdicts' findings, each verdict naming its test ({@code TestId}), rendered as JSON
 * ({@code JsonReport}) and as one HTML page ({@code HtmlReport}, with {@code SvgPlot}'s inline
 * plots); and the run's index of every class report in the directory ({@code RunIndex}, reading the
 * class JSONs back with {@code JsonReader}, every file written whole by {@code AtomicFiles}). Uses
 * {@code check} (findings and their evidence), {@code config} and {@code text}; nothing above it.
 */
package dev.leakproof.internal.report;
