package dev.leakproof.bench.peer;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What a verdict prints to the console while it runs ({@code System.out} and {@code System.err}),
 * copied while it still goes to the console: part of "what each prints", next to the failure message.
 *
 * <pre>{@code
 * Printed printed = Printed.start();
 * try { NbTestCase.assertGC("handler", ref); } finally { printed.stop(); }
 * String text = printed.text();
 * }</pre>
 */
final class Printed {

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    private Printed() {
        System.setOut(tee(out));
        System.setErr(tee(err));
    }

    static Printed start() {
        return new Printed();
    }

    void stop() {
        System.out.flush();
        System.err.flush();
        System.setOut(out);
        System.setErr(err);
    }

    String text() {
        synchronized (copy) {
            return copy.toString(StandardCharsets.UTF_8);
        }
    }

    private PrintStream tee(PrintStream console) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                console.write(b);
                synchronized (copy) {
                    copy.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                console.write(b, off, len);
                synchronized (copy) {
                    copy.write(b, off, len);
                }
            }

            @Override
            public void flush() {
                console.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }
}
