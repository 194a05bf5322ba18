package io.multikube.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Writes {@code docs/compatibility.md} from the matrix's results: command × kubectl version, pass or fail. */
final class CompatibilityReport {
    /** One cell of the matrix. */
    record Row(String command, String kubectl, String transport, boolean pass, String detail) {
    }

    private CompatibilityReport() {
    }

    static void write(List<Row> rows) throws IOException {
        String root = System.getenv("MULTIKUBE_REPO_ROOT");
        if (root == null || rows.isEmpty()) {
            return;
        }
        Set<String> versions = new LinkedHashSet<>();
        Map<String, Map<String, Row>> byCommand = new LinkedHashMap<>();
        for (Row row : rows) {
            versions.add(row.kubectl());
            byCommand.computeIfAbsent(row.command(), c -> new LinkedHashMap<>()).put(row.kubectl(), row);
        }
        StringBuilder md = new StringBuilder("# kubectl compatibility\n\n")
                .append("Written by `integration-tests` (`KubectlMatrixIT`) on its last run, ")
                .append(LocalDate.now(ZoneOffset.UTC)).append(" — not by hand. Each command ran through multikube ")
                .append("and directly against the same real kube-apiserver as the same user; **pass** means the ")
                .append("outputs and exit codes were identical apart from object names, timestamps, ages, resource ")
                .append("versions and UIDs (`get -w`: the event arrived within a second). Transport from kubectl ")
                .append("to multikube: HTTP/2 over TLS.\n\n")
                .append("| command |");
        versions.forEach(version -> md.append(" kubectl ").append(version).append(" |"));
        md.append("\n| --- |");
        versions.forEach(version -> md.append(" --- |"));
        md.append('\n');
        byCommand.forEach((command, cells) -> {
            md.append("| `").append(command).append("` |");
            for (String version : versions) {
                Row row = cells.get(version);
                md.append(' ').append(row == null ? "not run" : (row.pass() ? "pass" : "**FAIL**")
                        + (row.detail().isEmpty() ? "" : " (" + row.detail() + ")")).append(" |");
            }
            md.append('\n');
        });
        md.append("\nCommands that need a kubelet run with the default kubectl through the real API server to a fake ")
                .append("kubelet that serves the kubelet's own streaming code (see the README): `logs` and `logs -f` ")
                .append("in `LogsIT`; `exec` (stdin, terminal, exit code), `attach`, `cp` both ways and `port-forward` ")
                .append("in `StreamsIT`, each over WebSocket and over SPDY. `UpgradeRefusalIT` shows exec and attach ")
                .append("refusals reading identically through multikube (WebSocket, then SPDY fallback).\n");
        Path docs = Path.of(root, "docs");
        Files.createDirectories(docs);
        Files.writeString(docs.resolve("compatibility.md"), md);
    }
}
