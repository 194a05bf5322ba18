package io.multikube.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import io.multikube.config.Scheme;
import io.multikube.config.ServerSettings;
import io.multikube.observe.JsonLogFormatter;
import io.multikube.plugin.Plugins;
import io.multikube.server.MultikubeServer;
import io.multikube.spi.PluginContext;

/** Runs the server until SIGTERM/SIGINT, then shuts down gracefully. */
final class Serve {
    private final ServeCommand command;
    private final PrintStream out;

    Serve(ServeCommand command) {
        this.command = command;
        this.out = System.out;
    }

    int run() throws Exception {
        if (command.jsonLogs()) {
            useJsonLogs();
        }
        LogLevels.apply(command.logLevel);
        Path kubeconfig = KubeconfigLocation.resolve(Optional.ofNullable(command.kubeconfig), System.getenv(),
                Path.of(System.getProperty("user.home")));
        EmbeddedDefault embedded = command.embeddedDefault() ? new EmbeddedDefault(command.stateDir) : null;
        ServerSettings settings = embedded == null
                ? command.settings(kubeconfig)
                : embedded.settings(command, kubeconfig);
        Plugins plugins = Plugins.load(command.plugins.settings(),
                PluginContext.of(pluginState(command.stateDir), Clock.systemUTC()));
        MultikubeServer server;
        try {
            server = MultikubeServer.start(settings, plugins);
        } catch (RuntimeException e) {
            plugins.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "multikube-shutdown"));
        if (embedded != null) {
            printTryIt(embedded, server, settings);
        }
        stopped.await();
        return 0;
    }

    /** {@code --log-format=json}: every handler of the root logger writes JSON lines. */
    private static void useJsonLogs() {
        for (java.util.logging.Handler handler : java.util.logging.Logger.getLogger("").getHandlers()) {
            handler.setFormatter(new JsonLogFormatter());
        }
    }

    /** Plugins keep their files under the state directory, created on demand. */
    private static Path pluginState(Path stateDir) throws java.io.IOException {
        return java.nio.file.Files.createDirectories(stateDir.resolve("plugins"));
    }

    private void printTryIt(EmbeddedDefault embedded, MultikubeServer server, ServerSettings settings)
            throws java.io.IOException {
        Scheme scheme = settings.schemes().contains(Scheme.HTTPS) ? Scheme.HTTPS : Scheme.HTTP;
        String url = EmbeddedDefault.serverUrl(settings, server.port(scheme));
        Path client = embedded.writeClientKubeconfig(server.kubeconfig(), url, System.getProperty("user.name"));
        out.println();
        out.println("multikube is serving " + url + " for the contexts of " + settings.kubeconfig()
                + " (" + server.kubeconfig().contexts().size() + " usable).");
        out.println("A client kubeconfig with one context and a fresh token per cluster: " + client);
        out.println("Try it:");
        out.println();
        out.println("    kubectl --kubeconfig " + client + " get --raw /version");
        out.println();
    }
}
