package dev.leakproof.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The last step of bench/run: gathers every benchmark's result file of one run into
 * {@code <name>.json} (machine, JDK, load average, date, each benchmark's figures) and
 * {@code <name>.md} (the ratios measured side by side in this run, the medians, the messages).
 *
 * <p>Options: {@code --results DIR} (the benchmarks' files), {@code --steps FILE} (bench/run's step
 * table: id, status, seconds, exit code, tab-separated), {@code --out DIR}, {@code --name NAME},
 * {@code --mode quick|full}, {@code --load-start "1 5 15"}, {@code --started ISO}, {@code --command TEXT},
 * {@code --note TEXT}; or {@code --rerender run.json} to write a run's Markdown page again from its JSON.
 */
public final class Results {

    private Results() {
    }

    public static void main(String[] args) {
        Options.main("Results", () -> run(args));
    }

    private static int run(String[] args) throws IOException {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("results", "");
        defaults.put("steps", "");
        defaults.put("out", "bench/results");
        defaults.put("name", "results");
        defaults.put("mode", "full");
        defaults.put("load-start", "");
        defaults.put("started", "");
        defaults.put("command", "bench/run");
        defaults.put("note", "");
        defaults.put("rerender", "");
        Options options = Options.parse(args, defaults);
        if (!options.get("rerender").isEmpty()) {
            return rerender(Path.of(options.get("rerender")));
        }

        List<Map<String, Object>> benchmarks = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(options.get("results")))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                benchmarks.add(Json.object(Json.read(file)));
            }
        }
        List<Map<String, Object>> steps = steps(Path.of(options.get("steps")));
        benchmarks.sort((a, b) -> Integer.compare(order(steps, a), order(steps, b)));

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", options.get("name"));
        out.put("mode", options.get("mode"));
        out.put("started", options.get("started"));
        out.put("finished", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString());
        out.put("command", options.get("command"));
        out.put("note", options.get("note").isEmpty() ? null : options.get("note"));
        out.put("machine", Machine.describe());
        out.put("jdk", Machine.jdk());
        out.put("loadAverage", Map.of("start", options.get("load-start"), "end", BenchResult.loadAverage()));
        out.put("steps", steps);
        Map<String, Object> byId = new LinkedHashMap<>();
        benchmarks.forEach(b -> byId.put(String.valueOf(b.get("benchmark")), b));
        out.put("benchmarks", byId);

        Path dir = Path.of(options.get("out"));
        Path json = dir.resolve(options.get("name") + ".json");
        Path md = dir.resolve(options.get("name") + ".md");
        Json.write(json, out);
        Files.writeString(md, Markdown.render(out, benchmarks, steps), StandardCharsets.UTF_8);
        System.out.println("Results: " + json);
        System.out.println("         " + md);
        return 0;
    }

    /** Writes the Markdown page of a run again from its JSON file, next to it (after a change to the page's layout). */
    private static int rerender(Path json) throws IOException {
        Map<String, Object> run = Json.object(Json.read(json));
        List<Map<String, Object>> steps = new ArrayList<>();
        Json.list(run.get("steps")).forEach(s -> steps.add(Json.object(s)));
        List<Map<String, Object>> benchmarks = new ArrayList<>();
        Json.object(run.get("benchmarks")).values().forEach(b -> benchmarks.add(Json.object(b)));
        String name = json.getFileName().toString().replaceFirst("\\.json$", ".md");
        Path md = json.resolveSibling(name);
        Files.writeString(md, Markdown.render(run, benchmarks, steps), StandardCharsets.UTF_8);
        System.out.println("Results: " + md);
        return 0;
    }

    private static int order(List<Map<String, Object>> steps, Map<String, Object> benchmark) {
        String id = String.valueOf(benchmark.get("benchmark"));
        for (int i = 0; i < steps.size(); i++) {
            if (id.equals(steps.get(i).get("result"))) {
                return i;
            }
        }
        return steps.size();
    }

    /** bench/run's step table: id, status, seconds, exit code, result id (tab-separated, one step a line). */
    private static List<Map<String, Object>> steps(Path file) {
        List<Map<String, Object>> steps = new ArrayList<>();
        if (!Files.exists(file)) {
            return steps;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] cells = line.split("\t", -1);
                if (cells.length < 5) {
                    continue;
                }
                Map<String, Object> step = new LinkedHashMap<>();
                step.put("step", cells[0]);
                step.put("status", cells[1]);
                step.put("seconds", Long.parseLong(cells[2]));
                step.put("exitCode", Integer.parseInt(cells[3]));
                step.put("result", cells[4]);
                step.put("loadAtStart", cells.length > 5 ? cells[5] : null);
                steps.add(step);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return steps;
    }
}
