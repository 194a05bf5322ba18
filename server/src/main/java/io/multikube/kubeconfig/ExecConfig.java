package io.multikube.kubeconfig;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code exec} part of a kubeconfig user: a credential plugin multikube runs to get its cluster credentials
 * (EKS {@code aws eks get-token}, GKE {@code gke-gcloud-auth-plugin}, AKS {@code kubelogin}, ...).
 *
 * @param command            the program; a relative path with a slash resolves against the kubeconfig's folder
 * @param args               its arguments
 * @param env                extra environment variables, on top of multikube's own
 * @param apiVersion         {@code client.authentication.k8s.io/v1} or {@code v1beta1}
 * @param installHint        what to tell the operator when the program is missing
 * @param provideClusterInfo whether the plugin gets the cluster's details in {@code KUBERNETES_EXEC_INFO}
 * @param what               the user entry, for messages
 */
record ExecConfig(String command, List<String> args, Map<String, String> env, String apiVersion,
                  Optional<String> installHint, boolean provideClusterInfo, String what) {
    static final String V1 = "client.authentication.k8s.io/v1";
    static final String V1BETA1 = "client.authentication.k8s.io/v1beta1";
    private static final Set<String> API_VERSIONS = Set.of(V1, V1BETA1);

    ExecConfig {
        Objects.requireNonNull(command, "command");
        args = List.copyOf(args);
        env = Map.copyOf(env);
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(installHint, "installHint");
        Objects.requireNonNull(what, "what");
    }

    /** Reads and checks {@code user.exec}; empty when the user has none. */
    static Optional<ExecConfig> of(Fields user, Path folder) {
        Optional<Fields> exec = user.mapping("exec");
        if (exec.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = exec.get();
        String command = fields.string("command").orElseThrow(() -> new EntryProblem(fields.what()
                + ": command is missing (expected: the credential plugin to run)"));
        String apiVersion = fields.string("apiVersion").orElseThrow(() -> new EntryProblem(fields.what()
                + ": apiVersion is missing (expected: " + V1 + " or " + V1BETA1 + ")"));
        if (!API_VERSIONS.contains(apiVersion)) {
            throw new EntryProblem(fields.what() + ": apiVersion " + apiVersion + " is not supported (expected: "
                    + V1 + " or " + V1BETA1 + ")");
        }
        interactiveMode(fields, apiVersion);
        if (command.contains("/") && !Path.of(command).isAbsolute()) {
            // As client-go does: a relative path is relative to the kubeconfig, a bare name is looked up in PATH.
            command = folder.resolve(command).normalize().toString();
        }
        return Optional.of(new ExecConfig(command, fields.strings("args"), env(fields), apiVersion,
                fields.string("installHint"), fields.bool("provideClusterInfo"), user.what()));
    }

    /**
     * multikube has no terminal: {@code Always} cannot work, {@code IfAvailable} means never here. v1 requires the
     * field, as client-go does; v1beta1 defaults to {@code IfAvailable}.
     */
    private static void interactiveMode(Fields fields, String apiVersion) {
        Optional<String> mode = fields.string("interactiveMode");
        if (mode.isEmpty() && apiVersion.equals(V1)) {
            throw new EntryProblem(fields.what() + ": interactiveMode is missing (expected: Never or IfAvailable "
                    + "with " + V1 + ")");
        }
        String value = mode.orElse("IfAvailable");
        if (value.equals("Always")) {
            throw new EntryProblem(fields.what() + ": interactiveMode Always needs a terminal, and multikube runs "
                    + "plugins without one (expected: Never or IfAvailable)");
        }
        if (!value.equals("Never") && !value.equals("IfAvailable")) {
            throw new EntryProblem(fields.what() + ": interactiveMode " + value + " is not known (expected: Never "
                    + "or IfAvailable)");
        }
    }

    private static Map<String, String> env(Fields fields) {
        Map<String, String> env = new LinkedHashMap<>();
        List<?> items = fields.list("env");
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Map<?, ?> item) || !(item.get("name") instanceof String name)
                    || name.isEmpty() || !(item.get("value") instanceof String value)) {
                // Not echoed: an env value may be a secret.
                throw new EntryProblem(fields.what() + ": env[" + i + "] is not {name, value} (expected: "
                        + "strings for both)");
            }
            env.put(name, value);
        }
        return env;
    }

    @Override
    public String toString() {
        return "ExecConfig[command=" + command + ", apiVersion=" + apiVersion + "]"; // env may hold secrets
    }
}
