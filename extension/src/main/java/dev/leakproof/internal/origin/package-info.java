/**
 * Where a class comes from: the test, the project's own classes, a dependency (its Maven
 * coordinates, read from its jar), the JDK, or Leakproof. A failure names the owner of what leaks
 * this way, so that a library's bug is not blamed on the test that uses the library.
 */
package dev.leakproof.internal.origin;
