/**
 * The reports of a test class: a model ({@link dev.leakproof.internal.report.ClassReport}) built
 * from the verdicts' findings, each verdict naming its test ({@code TestId}), rendered as JSON
 * ({@code JsonReport}) and as one HTML page ({@code HtmlReport}); and the run's index of every class
 * report in the directory ({@code RunIndex}, reading the class JSONs back with the fixtures' JSON
 * codec, every file written whole by {@code AtomicFiles}). The renderers know no kind of evidence:
 * each renders itself, placed by {@code PlacedEvidence}, so a new check's evidence needs no edit
 * here. Uses {@code finding} (findings and their evidence), {@code config} and {@code text}; nothing
 * of {@code check}, and nothing above it.
 */
package dev.leakproof.internal.report;
