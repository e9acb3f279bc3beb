package dev.leakproof.examples.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/tls-recipes.md cannot drift from the code: each snippet on the page, marked
 * {@code <!-- snippet: File.java#tag -->}, equals the region between {@code // tag::tag[]} and
 * {@code // end::tag[]} of that recipe test (its indentation removed), and every tagged region is
 * on the page.
 */
class RecipesPageTests {

    private static final Path PAGE = Path.of("../docs/tls-recipes.md");
    private static final Path RECIPES = Path.of("src/test/java/dev/leakproof/examples/recipes");
    private static final Pattern SNIPPET =
            Pattern.compile("<!-- snippet: ([\\w.]+)#([\\w-]+) -->\\n```java\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("^( *)// tag::([\\w-]+)\\[\\]$");

    @Test
    void everySnippetIsTheTaggedRegionOfItsTest() throws IOException {
        Map<String, String> regions = taggedRegions();
        Matcher m = SNIPPET.matcher(Files.readString(PAGE));
        List<String> onThePage = new ArrayList<>();
        while (m.find()) {
            String key = m.group(1) + "#" + m.group(2);
            onThePage.add(key);
            assertThat(regions).as("tagged regions of the recipe tests").containsKey(key);
            assertThat(m.group(3)).as("snippet %s of docs/tls-recipes.md (copy the region of the test)", key)
                    .isEqualTo(regions.get(key));
        }
        assertThat(onThePage).as("snippets on the page").containsExactlyInAnyOrderElementsOf(regions.keySet());
    }

    @Test
    void theRegionsAreFoundWhereTheyAre() throws IOException {
        assertThat(taggedRegions()).as("tagged regions").hasSizeGreaterThanOrEqualTo(9)
                .containsKeys("ClientRecipesTests.java#okhttp", "ServerRecipesTests.java#pem-files",
                        "VertxRecipeTests.java#vertx");
    }

    /** {@code File.java#tag} to the region's lines, each without the tag line's indentation. */
    static Map<String, String> taggedRegions() throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(RECIPES)) {
            files = list.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher tag = TAG.matcher(lines.get(i));
                if (!tag.matches()) {
                    continue;
                }
                int indent = tag.group(1).length();
                String end = " ".repeat(indent) + "// end::" + tag.group(2) + "[]";
                List<String> region = new ArrayList<>();
                for (i++; !lines.get(i).equals(end); i++) {
                    String line = lines.get(i);
                    region.add(line.isBlank() ? "" : line.substring(indent));
                }
                regions.put(file.getFileName() + "#" + tag.group(2), String.join("\n", region));
            }
        }
        return regions;
    }
}
