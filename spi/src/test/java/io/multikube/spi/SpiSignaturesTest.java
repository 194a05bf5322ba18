package io.multikube.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Guards the SPI's binary compatibility: every public type and member of {@code io.multikube.spi} must match the
 * recorded list in {@code spi-signatures.txt}. Plugins built against this SPI break when a line disappears or an
 * interface gains an abstract method, so such a change needs a new major {@link SpiVersion}; an addition (a
 * default method, a new type) only needs the file updated and the minor version raised.
 */
class SpiSignaturesTest {
    private static final Path RECORDED = Path.of("src/test/resources/spi-signatures.txt");

    @Test
    void publicSignaturesMatchTheRecordedOnes() throws Exception {
        List<String> current = signatures();
        List<String> recorded = Files.readAllLines(RECORDED, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        List<String> removed = recorded.stream().filter(line -> !current.contains(line)).toList();
        List<String> added = current.stream().filter(line -> !recorded.contains(line)).toList();
        assertThat(removed).as("SPI signatures removed or changed: plugins built against SPI %s break "
                + "(keep them, or raise the major version and update %s)", SpiVersion.CURRENT, RECORDED).isEmpty();
        assertThat(added).as("SPI signatures added: record them in %s and raise the minor version of SpiVersion",
                RECORDED).isEmpty();
    }

    @Test
    void interfacesGrowOnlyByDefaultMethods() throws Exception {
        List<String> abstractMethods = signatures().stream().filter(line -> line.contains(" abstract ")).toList();
        List<String> recorded = Files.readAllLines(RECORDED, StandardCharsets.UTF_8);
        assertThat(recorded).as("a new abstract method breaks every existing plugin").containsAll(abstractMethods);
    }

    @Test
    void versionIsMajorDotMinor() {
        assertThat(SpiVersion.CURRENT).matches("\\d+\\.\\d+");
        assertThat(SpiVersion.major()).isEqualTo(1);
    }

    /** Writes the current signatures to {@code target/spi-signatures.txt}, for updating the recorded file. */
    static List<String> signatures() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(SpiVersion.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.map(classes::relativize).map(Path::toString).filter(name -> name.endsWith(".class"))
                    .map(name -> name.substring(0, name.length() - 6).replace('/', '.')).sorted().toList();
        }
        TreeSet<String> lines = new TreeSet<>();
        for (String name : names) {
            Class<?> type = Class.forName(name);
            if (!Modifier.isPublic(type.getModifiers())) {
                continue;
            }
            lines.add(type.getName() + " " + kind(type));
            for (RecordComponent component : type.isRecord() ? type.getRecordComponents() : new RecordComponent[0]) {
                lines.add(type.getName() + " component " + component.getGenericType().getTypeName() + " "
                        + component.getName());
            }
            for (Method method : type.getDeclaredMethods()) {
                if (Modifier.isPublic(method.getModifiers()) && !method.isSynthetic()) {
                    lines.add(type.getName() + " " + modifiers(method) + method.getGenericReturnType().getTypeName()
                            + " " + method.getName() + Arrays.stream(method.getGenericParameterTypes())
                            .map(java.lang.reflect.Type::getTypeName).toList());
                }
            }
            Arrays.stream(type.getFields()).filter(field -> field.getDeclaringClass() == type)
                    .forEach(field -> lines.add(type.getName() + " field " + field.getGenericType().getTypeName()
                            + " " + field.getName()));
        }
        List<String> result = new ArrayList<>(lines);
        Files.write(Path.of("target/spi-signatures.txt"), result, StandardCharsets.UTF_8);
        return result;
    }

    private static String kind(Class<?> type) {
        return type.isInterface() ? "interface" : type.isEnum() ? "enum" : type.isRecord() ? "record" : "class";
    }

    private static String modifiers(Method method) {
        if (Modifier.isStatic(method.getModifiers())) {
            return "static ";
        }
        if (method.isDefault()) {
            return "default ";
        }
        return Modifier.isAbstract(method.getModifiers()) ? "abstract " : "";
    }
}
