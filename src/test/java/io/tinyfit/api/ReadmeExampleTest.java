package io.tinyfit.api;

import io.tinyfit.model.DefaultModels;
import io.tinyfit.tflite.ModelReader;
import io.tinyfit.tflite.ModelWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's library snippet compiles against the jar's classes and runs as shown, on the embedded default model. */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    @Test
    void theSnippetCompilesAndRuns() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile("## As a library.*?```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("README has a java snippet under 'As a library'").isTrue();
        Path model = dir.resolve("model.tflite");
        Path out = dir.resolve("model.opt.tflite");
        ModelWriter.write(DefaultModels.mobileNetV2Style(), model);
        String body = m.group(1).replace("\"model.tflite\"", quote(model)).replace("\"model.opt.tflite\"", quote(out));
        String source = "import io.tinyfit.api.*;\nimport java.nio.file.Path;\n"
                + "public class ReadmeExample {\n public static void main(String[] args) throws Exception {\n" + body + "\n }\n}\n";
        Path src = dir.resolve("ReadmeExample.java");
        Files.writeString(src, source);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, null, diagnostics, "-classpath", System.getProperty("java.class.path"), "-d", dir.toString(), src.toString());
        assertThat(rc).as(diagnostics.toString()).isZero();

        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(printed, true));
            loader.loadClass("ReadmeExample").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(stdout);
        }
        assertThat(printed.toString()).contains("TFLM head").contains("verified: true").contains("stock-tflm");
        assertThat(ModelReader.read(out).ops()).hasSameSizeAs(DefaultModels.mobileNetV2Style().ops());
    }

    private static String quote(Path p) { return "\"" + p.toString().replace("\\", "\\\\") + "\""; }
}
