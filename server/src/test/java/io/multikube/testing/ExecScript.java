package io.multikube.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real exec credential plugin: a bash script in its own folder that counts its runs, keeps the
 * {@code KUBERNETES_EXEC_INFO} it was given, and prints {@code answer.json} with {@code @RUN@} replaced by the run
 * number (so each run's token differs), or {@code answer-<run>.json} when there is one. Files the test may add: {@code stderr} (copied to standard error),
 * {@code sleep} (seconds to wait first), {@code exit} (exit code, answer not printed).
 */
public final class ExecScript {
    public static final String V1 = "client.authentication.k8s.io/v1";
    private static final String SCRIPT = """
            #!/bin/bash
            dir="$(dirname "$0")"
            echo run >> "$dir/runs"
            n=$(wc -l < "$dir/runs" | tr -d ' ')
            printf '%s' "$KUBERNETES_EXEC_INFO" > "$dir/exec-info.json"
            [ -f "$dir/stderr" ] && cat "$dir/stderr" >&2
            [ -f "$dir/sleep" ] && sleep "$(cat "$dir/sleep")"
            [ -f "$dir/exit" ] && exit "$(cat "$dir/exit")"
            answer="$dir/answer-$n.json"
            [ -f "$answer" ] || answer="$dir/answer.json"
            sed "s/@RUN@/$n/g" "$answer"
            """;

    private final Path folder;

    private ExecScript(Path folder) {
        this.folder = folder;
    }

    /** Writes the script into {@code folder}, answering with a token {@code token-<run>} and no expiry. */
    public static ExecScript create(Path folder) {
        try {
            Files.createDirectories(folder);
            Path script = folder.resolve("credential-plugin.sh");
            Files.writeString(script, SCRIPT);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExecScript exec = new ExecScript(folder);
        exec.answerToken("token-@RUN@", null);
        return exec;
    }

    public Path command() {
        return folder.resolve("credential-plugin.sh");
    }

    /** The kubeconfig {@code exec} entry running it (v1, interactiveMode Never). */
    public Map<String, Object> execEntry(boolean provideClusterInfo) {
        Map<String, Object> exec = new LinkedHashMap<>();
        exec.put("command", command().toString());
        exec.put("apiVersion", V1);
        exec.put("interactiveMode", "Never");
        exec.put("provideClusterInfo", provideClusterInfo);
        exec.put("env", List.of(Map.of("name", "PLUGIN_MODE", "value", "test")));
        return exec;
    }

    /** The next runs print this token ({@code @RUN@} becomes the run number), expiring at {@code expiry} if given. */
    public ExecScript answerToken(String token, String expiry) {
        return answer("{\"token\":\"" + token + "\"" + (expiry == null ? "" : ",\"expirationTimestamp\":\""
                + expiry + "\"") + "}");
    }

    /** Run number {@code run} (counting from 1) prints this token instead of the usual answer. */
    public ExecScript answerTokenOnRun(int run, String token) {
        return write("answer-" + run + ".json", "{\"apiVersion\":\"" + V1 + "\",\"kind\":\"ExecCredential\","
                + "\"status\":{\"token\":\"" + token + "\"}}\n");
    }

    /** The next runs print a client certificate and key (PEM). */
    public ExecScript answerCertificate(String certificatePem, String keyPem) {
        return answer("{\"clientCertificateData\":" + json(certificatePem) + ",\"clientKeyData\":" + json(keyPem)
                + "}");
    }

    /** The next runs print an ExecCredential with this status object. */
    public ExecScript answer(String status) {
        return write("answer.json", "{\"apiVersion\":\"" + V1 + "\",\"kind\":\"ExecCredential\",\"status\":" + status
                + "}\n");
    }

    /** The next runs print exactly this. */
    public ExecScript printRaw(String text) {
        return write("answer.json", text);
    }

    public ExecScript failWith(int exitCode, String stderr) {
        write("stderr", stderr);
        return write("exit", Integer.toString(exitCode));
    }

    public ExecScript sleepSeconds(double seconds) {
        return write("sleep", Double.toString(seconds));
    }

    public ExecScript succeed() {
        try {
            Files.deleteIfExists(folder.resolve("exit"));
            Files.deleteIfExists(folder.resolve("stderr"));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How often the plugin ran so far. */
    public int runs() {
        try {
            Path runs = folder.resolve("runs");
            return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code KUBERNETES_EXEC_INFO} of the last run. */
    public String execInfo() {
        try {
            return Files.readString(folder.resolve("exec-info.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ExecScript write(String name, String text) {
        try {
            Files.writeString(folder.resolve(name), text);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "") + "\"";
    }
}
