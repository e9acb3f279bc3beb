package dev.leakproof.internal.trace;

import dev.leakproof.internal.hprof.HeapView;
import dev.leakproof.internal.hprof.HprofIndex;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Shark's analysis of a dump, the reference the index's paths are held to: the same objects (chosen
 * on the index), Shark's own paths, the rest (collections, buffers, pending tasks) read on the index
 * as {@link LeakTraces#analyseDump} reads it. Used by the cross-check of this project's tests and by
 * the benchmark; the verdict does not run it.
 *
 * <pre>{@code
 * LeakTraces.Result shark = SharkReference.analyse(dump, Targets.SUSPECTS, options, dumpStart);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class SharkReference {

    private SharkReference() {
    }

    public static LeakTraces.Result analyse(Path dump, Targets targets, LeakTraces.Options options, long dumpStart) {
        long analysisStart = System.nanoTime();
        Set<Long> ids;
        try (HprofIndex index = HprofIndex.open(dump, TargetIds.classesToCollect(targets))) {
            ids = TargetIds.of(new HeapView(index), targets);
        }
        LeakTraces.Result result = SharkAnalysis.analyse(dump, new MappedHprofFile(dump), SharkAnalysis.ids(ids),
                new SharkAnalysis.Matchers(options.ignored(), options.accepted()), options.timeout(), step -> { },
                dumpStart, options.releaseDeadlineNanos());
        if (LeakTraces.ledByNativeRoots(result)) {
            LeakTraces.Result javaRooted = SharkAnalysis.analyse(dump, new MappedHprofFile(dump), SharkAnalysis.ids(ids),
                    new SharkAnalysis.Matchers(options.ignored(), options.accepted(), true), options.timeout(),
                    step -> { }, dumpStart, options.releaseDeadlineNanos());
            result = javaRooted.skipped() == null && 2 * javaRooted.leakingObjects() >= result.leakingObjects()
                    ? javaRooted : result;
        }
        return new LeakTraces.Result(result.signatures(), result.leakingObjects(), result.skipped(), null, 0,
                Duration.ofNanos(System.nanoTime() - analysisStart).toMillis(), result.pendingReleaseNanos(),
                result.retainedBuffers());
    }
}
