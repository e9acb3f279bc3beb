/**
 * Growth with the repetitions of an action, over every resource at once: live instances per
 * class, open connections, threads, file descriptors, scheduled tasks and tracked objects,
 * measured at points ({@code ResourceMeter}) and judged ({@code GrowthJudge}) so that a leak per
 * repetition fails and a one-time cost (a lazily started pool) is a note. Uses {@code heap},
 * {@code os}, {@code gc}, {@code netty}, {@code tracking}, {@code text} and {@code wait}.
 */
package dev.leakproof.internal.growth;
