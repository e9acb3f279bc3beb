/**
 * What the operating system and the JVM hold beyond the heap: file descriptors, threads, resident
 * memory, the kernel's socket tables (what each socket descriptor is: a TCP state, or nothing listed). Snapshots taken before and after a window of work, compared by the checks. Uses only the
 * JDK.
 */
package dev.leakproof.internal.os;
