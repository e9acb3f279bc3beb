package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.internal.config.Setting;
import dev.leakproof.internal.config.Settings;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each setting lives in four lists kept by hand: an annotation attribute, {@code Settings.ALL}, a
 * method of {@code ConnectionLeakDetector.Builder}, and a row of the user's table in
 * {@code docs/settings.md}. A setting missing from one of them is a setting users cannot find or
 * cannot use; each test names the entry that is missing and the list that lacks it.
 */
class SettingsInStepTests {

    static final Path TABLE = Path.of("../docs/settings.md");

    /** Every annotation that carries settings, read by the same extension. */
    static final List<Class<? extends Annotation>> ANNOTATIONS = List.of(DetectConnectionLeaks.class,
            RetainedSizeBudget.class, GrowthRun.class, StepLoad.class);

    /** Builder methods that are not a setting: the pipeline under test and the end of the builder. */
    static final Set<String> BUILDER_NOT_SETTINGS = Set.of("pipeline", "handlerPerConnection", "build");

    @Test
    void everyAnnotationAttributeIsASetting() {
        Set<String> declared = Settings.ALL.stream().filter(s -> s.attribute().isPresent())
                .map(s -> written(s.annotation(), s.attribute().get())).collect(Collectors.toSet());
        List<String> missing = new ArrayList<>();
        for (Class<? extends Annotation> annotation : ANNOTATIONS) {
            for (Method attribute : annotation.getDeclaredMethods()) {
                if (!declared.contains(written(annotation, attribute.getName()))) {
                    missing.add(written(annotation, attribute.getName()));
                }
            }
        }
        assertThat(missing).as("annotation attributes with no entry in Settings.ALL (so never read)").isEmpty();
    }

    @Test
    void everySettingIsAnAttributeOfAnAnnotationItReads() {
        List<String> missing = Settings.ALL.stream().filter(s -> s.attribute().isPresent())
                .filter(s -> Arrays.stream(s.annotation().getDeclaredMethods())
                        .noneMatch(m -> m.getName().equals(s.attribute().get())))
                .map(s -> s.key() + " reads " + written(s.annotation(), s.attribute().get())).toList();
        assertThat(missing).as("settings whose annotation attribute does not exist").isEmpty();
        assertThat(Settings.ALL.stream().filter(s -> s.attribute().isPresent())
                .filter(s -> !ANNOTATIONS.contains(s.annotation())).map(Setting::key).toList())
                .as("settings read from an annotation this test does not know: add it to ANNOTATIONS").isEmpty();
    }

    @Test
    void everySettingWithAnAttributeHasABuilderMethodAndNoOtherHas() {
        Set<String> builder = builderSettingMethods();
        List<String> missing = Settings.ALL.stream().filter(s -> s.attribute().isPresent())
                .map(SettingsInStepTests::builderName).filter(name -> !builder.contains(name))
                .map(name -> "ConnectionLeakDetector.builder()." + name + "(...)").toList();
        assertThat(missing).as("settings the builder cannot set").isEmpty();

        Set<String> settingNames = Settings.ALL.stream().map(SettingsInStepTests::builderName).collect(Collectors.toSet());
        assertThat(builder.stream().filter(name -> !settingNames.contains(name)).sorted().toList())
                .as("builder methods with no entry in Settings.ALL (their value would be dropped)").isEmpty();
        assertThat(Settings.ALL.stream().filter(s -> s.attribute().isEmpty()).map(SettingsInStepTests::builderName)
                .filter(builder::contains).toList())
                .as("a setting of the whole run (a configuration parameter only) has no builder method").isEmpty();
    }

    @Test
    void everySettingIsARowOfTheUsersTableAndEveryRowASetting() throws IOException {
        Map<String, List<String>> rows = tableRows();
        List<String> problems = new ArrayList<>();
        for (Setting<?> setting : Settings.ALL) {
            List<String> row = rows.get(setting.key());
            if (row == null) {
                problems.add(setting.key() + ": no row in " + TABLE);
                continue;
            }
            String attribute = setting.attribute().map(a -> setting.annotation() == DetectConnectionLeaks.class
                    ? "`" + a + "`" : "`" + written(setting.annotation(), a) + "`").orElse("");
            if (!row.get(0).equals(attribute)) {
                problems.add(setting.key() + ": attribute column is '" + row.get(0) + "', expected '" + attribute + "'");
            }
            String builderCell = setting.attribute().isPresent() ? "`." + builderName(setting) + "(" : "";
            if (builderCell.isEmpty() ? !row.get(2).isEmpty() : !row.get(2).startsWith(builderCell)) {
                problems.add(setting.key() + ": builder column is '" + row.get(2) + "', expected '" + builderCell + "...'");
            }
            String defaultText = setting.defaultText();
            if (!defaultText.isEmpty() && !defaultText.equals("-1")
                    && !row.get(3).toLowerCase(Locale.ROOT).contains(defaultText.toLowerCase(Locale.ROOT))) {
                problems.add(setting.key() + ": default column is '" + row.get(3) + "', the default is " + defaultText);
            }
        }
        Set<String> keys = Settings.ALL.stream().map(Setting::key).collect(Collectors.toSet());
        rows.keySet().stream().filter(key -> !keys.contains(key))
                .forEach(key -> problems.add(key + ": a row of " + TABLE + " that is no setting"));
        assertThat(problems).as("settings out of step with the user's table").isEmpty();
    }

    @Test
    void theTableIsReadWholeSoTheCheckCanFail() throws IOException {
        assertThat(tableRows()).as("a check that reads nothing proves nothing").hasSize(Settings.ALL.size())
                .containsKeys("leakproof.cycles", "leakproof.loadSteps", "leakproof.reportDirectory");
        assertThat(builderName(Settings.LOAD_STEPS)).isEqualTo("loadSteps");
    }

    /** {@code @StepLoad(steps)}: an attribute as the table and the failures write it. */
    private static String written(Class<? extends Annotation> annotation, String attribute) {
        return "@" + annotation.getSimpleName() + "(" + attribute + ")";
    }

    /** The builder names each method after the configuration parameter: {@code leakproof.loadSteps} -> {@code loadSteps}. */
    private static String builderName(Setting<?> setting) {
        return setting.key().substring("leakproof.".length());
    }

    private static Set<String> builderSettingMethods() {
        return Arrays.stream(ConnectionLeakDetector.Builder.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers())).map(Method::getName)
                .filter(name -> !BUILDER_NOT_SETTINGS.contains(name)).collect(Collectors.toSet());
    }

    /** The table's rows by their configuration parameter (second column): the cells, trimmed. */
    private static Map<String, List<String>> tableRows() throws IOException {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(TABLE)) {
            if (!line.startsWith("|") || line.startsWith("|---") || line.startsWith("| attribute")) {
                continue;
            }
            List<String> cells = Arrays.stream(line.substring(1, line.length() - 1).split("\\|", -1))
                    .map(String::strip).toList();
            rows.put(cells.get(1).replace("`", ""), cells);
        }
        return rows;
    }
}
