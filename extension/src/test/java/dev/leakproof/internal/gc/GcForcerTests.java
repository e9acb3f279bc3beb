package dev.leakproof.internal.gc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where no full GC can be forced, the extension says so before any connection instead of calling
 * every connection leaked: Shenandoah under -XX:+DisableExplicitGC (found by the reliability campaign).
 */
class GcForcerTests {

    @Test
    void shenandoahWithExplicitGcDisabledCannotBeForced() {
        assertThat(GcForcer.cannotForce(List.of("Shenandoah Pauses", "Shenandoah Cycles"), true)).hasValueSatisfying(m ->
                assertThat(m).startsWith("Leakproof cannot force a garbage collection in this JVM: -XX:+DisableExplicitGC "
                        + "with -XX:+UseShenandoahGC").contains("Remove -XX:+DisableExplicitGC"));
    }

    @Test
    void everyOtherCollectorCollectsOnGcRunEvenWithExplicitGcDisabled() {
        assertThat(GcForcer.cannotForce(List.of("G1 Young Generation", "G1 Old Generation"), true)).isEmpty();
        assertThat(GcForcer.cannotForce(List.of("ZGC Cycles", "ZGC Pauses"), true)).isEmpty();
        assertThat(GcForcer.cannotForce(List.of("PS Scavenge", "PS MarkSweep"), true)).isEmpty();
        assertThat(GcForcer.cannotForce(List.of("Copy", "MarkSweepCompact"), true)).isEmpty();
        assertThat(GcForcer.cannotForce(List.of("Shenandoah Pauses", "Shenandoah Cycles"), false)).isEmpty();
    }

    @Test
    void thisJvmCanBeForcedAndAForcedGcIsCounted() {
        assertThat(GcForcer.cannotForce()).isEmpty();
        assertThat(GcForcer.fullGc().ran()).isTrue();
    }
}
