package io.multikube.kubeconfig;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/** Reads a kubeconfig file into the plain mapping SnakeYAML builds, with safe loading and size limits. */
final class KubeconfigYaml {
    /** Far above any real kubeconfig (a few hundred inline certificates), far below a memory problem. */
    static final int MAX_BYTES = 16 * 1024 * 1024;
    /** Kubeconfigs do not use aliases; a few are tolerated, a "billion laughs" document is not. */
    static final int MAX_ALIASES = 20;

    private KubeconfigYaml() {
    }

    static Map<?, ?> read(Path file) {
        String text = text(file);
        Object document;
        try {
            document = yaml().load(text);
        } catch (MarkedYAMLException e) {
            // Not e.getMessage() and not the cause: SnakeYAML quotes the offending line, which may hold a token.
            throw new KubeconfigException("kubeconfig " + file + " is not valid YAML: " + e.getProblem()
                    + position(e.getProblemMark()));
        } catch (YAMLException e) {
            throw new KubeconfigException("kubeconfig " + file + " is not valid YAML: "
                    + e.getClass().getSimpleName());
        } catch (IllegalArgumentException e) {
            // SnakeYAML 2.6 refuses some malformed tags (found by fuzzing: "!%2" and a stray byte) this way.
            throw new KubeconfigException("kubeconfig " + file + " is not valid YAML: a malformed tag or node");
        }
        if (document == null) {
            throw new KubeconfigException("kubeconfig " + file + " is empty (expected: a mapping with contexts)");
        }
        if (!(document instanceof Map<?, ?> mapping)) {
            throw new KubeconfigException("kubeconfig " + file + " is not a mapping (expected: a mapping with "
                    + "apiVersion, kind: Config, clusters, users and contexts)");
        }
        return mapping;
    }

    private static String text(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new KubeconfigException("kubeconfig " + file + " has " + size + " bytes (expected: at most "
                        + MAX_BYTES + ")");
            }
            return StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new KubeconfigException("kubeconfig " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new KubeconfigException("kubeconfig " + file + " cannot be read: " + e, e);
        }
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setCodePointLimit(MAX_BYTES);
        return new Yaml(new SafeConstructor(options));
    }

    private static String position(Mark mark) {
        return mark == null ? "" : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
    }
}
