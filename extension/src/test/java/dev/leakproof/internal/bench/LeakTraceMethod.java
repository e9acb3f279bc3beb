package dev.leakproof.internal.bench;

/**
 * How the leak-trace benchmark measures, as its report states it: kept apart from the figures so that
 * the text can be read, and changed, in one place.
 *
 * <pre>{@code
 * markdown.append(LeakTraceMethod.TEXT);
 * }</pre>
 */
final class LeakTraceMethod {

    static final String TEXT = "Method: one JVM; a fixture server observed by a `ConnectionTracker` hosts a handler"
            + " that puts itself into a map that is never emptied, and a `ConnectionDriver` runs the cycles; after the"
            + " server saw every close and a full GC, ballast (maps of strings and small records, plus 4 KiB buffers"
            + " for ~9 % of it) is added to a list until the used heap after a full GC reaches each size; sizes run"
            + " in ascending order in the same JVM. The map and the list hang off one static array, in the order"
            + " `--leak-position` sets (`last`: the list first, so that a search from the GC roots reads every ballast"
            + " map at the leaked map's depth before it reaches the leaked handlers). Each repetition does what a failing verdict's `LeakTraces.find`"
            + " does: a live heap dump (`HotSpotDiagnosticMXBean.dumpHeap(live=true)`, one traced object per leaked"
            + " connection; \"Dump ms\"), then `LeakTraces.analyseDump` on it, the production path (\"Analysis ms\")."
            + " MiB/s = dump file MiB / analysis seconds. \"First\": the engine's first analysis in this JVM, its"
            + " code not yet JIT-compiled (repetition 1 of the smallest size); \"later\": the median of the other"
            + " repetitions at that size. Load before: /proc/loadavg (1, 5, 15 min) before the size's ballast is"
            + " grown.\n\n"
            + "Memory, measured around each analysis alone, from right after a full GC of its own (`System.gc()`,"
            + " outside the timed analysis: the heap in use is then the live heap): \"Heap needed\" is the largest Java heap in use right after a GC"
            + " during the analysis minus the heap in use before it (what the analysis held at that moment,"
            + " plus garbage already promoted that only an old-generation collection frees: an upper bound);"
            + " \"(peak)\" marks a run without a GC, where it is the heap pools' peak use minus before instead"
            + " (garbage included). \"Heap peak\": that peak, always (the sum of each pool's own peak, eden"
            + " included, so it grows with the young generation's size, not only with the analysis). \"Allocated\":"
            + " bytes allocated by every Java thread during the analysis (`com.sun.management.ThreadMXBean`,"
            + " sampled every 10 ms; in brackets the threads named `leakproof-leak-trace`, the analysis thread)."
            + " \"RSS growth\": the process's resident set, sampled peak minus before: heap pages touched for the"
            + " first time, the memory-mapped dump's pages read, native memory. \"Live held (probed)\": one more"
            + " analysis by each engine of the comparison's dump, with a full GC every `--memory-probe` ms"
            + " during it: the largest heap in use right after one of them, minus before, is what the analysis"
            + " held live, garbage excluded (a lower bound: a peak between two GCs is missed); the GCs stop the"
            + " analysis, so those two runs' times are reported nowhere. The goal's share of the dump uses it when"
            + " measured. Objects: total instances of a"
            + " live class histogram at that size.";

    static final String ENGINES = "One more dump per size, outside the repetitions above, analysed in rounds by"
            + " the production path (`LeakTraces.analyseDump`) and by the Shark reference (`SharkAnalysis` reading"
            + " the dump through `MappedHprofFile`, the verdict's reader), one of each per round, the order swapped"
            + " every round so that neither always runs with the warmer JIT or page cache. The ratio is production"
            + " / Shark analysis time, per round and its median; \"Same signatures\": every analysis of the"
            + " comparison printed the same grouped paths with the same counts.";

    private LeakTraceMethod() {
    }
}
