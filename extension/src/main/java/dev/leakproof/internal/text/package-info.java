/**
 * Words and numbers as Leakproof's messages and reports write them: class names, sizes, counted
 * lists. The ground floor: it uses nothing of Leakproof's, and everything may use it, so that a
 * class name or a size reads the same in a failure message and in the HTML report.
 */
package dev.leakproof.internal.text;
