package dev.leakproof.examples.decoder;

/**
 * One decoded request line: {@code ECHO hello} is {@code new Command("ECHO", "hello")}.
 *
 * <pre>{@code
 * Command command = Command.parse("ECHO hello");
 * }</pre>
 */
record Command(String verb, String argument) {

    static Command parse(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? new Command(line, "") : new Command(line.substring(0, space), line.substring(space + 1));
    }
}
