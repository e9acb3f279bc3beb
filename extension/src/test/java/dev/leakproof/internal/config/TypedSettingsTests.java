package dev.leakproof.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.BuiltInService;
import dev.leakproof.ConnectionClose;
import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.TlsImplementation;
import dev.leakproof.fixture.CloseStyle;
import dev.leakproof.fixture.FixtureService;
import dev.leakproof.fixture.TlsProvider;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The annotation's enums ({@link ConnectionClose}, {@link TlsImplementation}, {@link BuiltInService})
 * in JUnit's way: {@code DEFAULT} means "not set here", so the configuration parameter, then the
 * default, decide; any other constant wins over the parameter and is the fixture's constant of the
 * same name.
 *
 * <pre>{@code
 * LeakSettings.resolve(new ConfigSource(parameters).annotations(testClass)).get(Settings.CLOSE_STYLE);
 * }</pre>
 */
class TypedSettingsTests {

    @DetectConnectionLeaks
    static class LeftAtDefault {
    }

    @DetectConnectionLeaks(closeStyle = ConnectionClose.HALF_CLOSE, provider = TlsImplementation.JDK,
            service = BuiltInService.HTTP)
    static class SetHere {
    }

    @Test
    void defaultFallsThroughToTheParameterThenTheDefault() {
        LeakSettings byDefault = resolve(LeftAtDefault.class, Map.of());
        assertThat(byDefault.get(Settings.CLOSE_STYLE)).isEqualTo(CloseStyle.CLIENT_CLOSE);
        assertThat(byDefault.get(Settings.PROVIDER)).isEqualTo(TlsProvider.JDK);
        assertThat(byDefault.get(Settings.SERVICE)).isEqualTo(FixtureService.LINE_ECHO);

        LeakSettings byParameter = resolve(LeftAtDefault.class, Map.of("leakproof.closeStyle", "abrupt-reset",
                "leakproof.provider", "openssl", "leakproof.service", "http"));
        assertThat(byParameter.get(Settings.CLOSE_STYLE)).isEqualTo(CloseStyle.ABRUPT_RESET);
        assertThat(byParameter.get(Settings.PROVIDER)).isEqualTo(TlsProvider.OPENSSL);
        assertThat(byParameter.get(Settings.SERVICE)).isEqualTo(FixtureService.HTTP);
        assertThat(byParameter.isExplicit(Settings.CLOSE_STYLE)).isFalse();
    }

    @Test
    void aConstantSetOnTheAnnotationWinsOverTheParameter() {
        LeakSettings settings = resolve(SetHere.class, Map.of("leakproof.closeStyle", "abrupt-reset",
                "leakproof.provider", "openssl", "leakproof.service", "echo"));
        assertThat(settings.get(Settings.CLOSE_STYLE)).isEqualTo(CloseStyle.HALF_CLOSE);
        assertThat(settings.get(Settings.PROVIDER)).isEqualTo(TlsProvider.JDK);
        assertThat(settings.get(Settings.SERVICE)).isEqualTo(FixtureService.HTTP);
        assertThat(settings.isExplicit(Settings.CLOSE_STYLE)).isTrue();
    }

    @Test
    void everyConstantButDefaultIsTheFixturesConstantOfTheSameName() {
        assertTwins(ConnectionClose.class, CloseStyle.class);
        assertTwins(TlsImplementation.class, TlsProvider.class);
        assertTwins(BuiltInService.class, FixtureService.class);
    }

    private static void assertTwins(Class<? extends Enum<?>> annotationSide, Class<? extends Enum<?>> fixtureSide) {
        assertThat(Arrays.stream(annotationSide.getEnumConstants()).map(Enum::name))
                .as("%s: DEFAULT first, then %s's constants in its order", annotationSide.getSimpleName(),
                        fixtureSide.getSimpleName())
                .containsExactlyElementsOf(java.util.stream.Stream.concat(java.util.stream.Stream.of("DEFAULT"),
                        Arrays.stream(fixtureSide.getEnumConstants()).map(Enum::name)).toList());
    }

    private static LeakSettings resolve(Class<?> testClass, Map<String, String> parameters) {
        return LeakSettings.resolve(new ConfigSource(key -> Optional.ofNullable(parameters.get(key)))
                .annotations(testClass));
    }
}
