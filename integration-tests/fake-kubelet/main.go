// Command fake-kubelet serves the endpoints a kube-apiserver calls on a kubelet — container logs, exec, attach and
// port-forward — so multikube's integration suite can run kubectl's streaming commands through a real API server on
// a machine where no kubelet can run. exec, attach and port-forward are served by the kubelet's own streaming code
// (k8s.io/kubelet/pkg/cri/streaming), so SPDY and WebSocket are spoken exactly as a real kubelet speaks them. Only
// the "containers" are fake: a container is a folder, its processes run on this machine (see containers.go).
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	remotecommandconsts "k8s.io/apimachinery/pkg/util/remotecommand"
	"k8s.io/kubelet/pkg/cri/streaming/portforward"
	"k8s.io/kubelet/pkg/cri/streaming/remotecommand"
)

// The streaming server's own defaults (k8s.io/kubelet/pkg/cri/streaming.DefaultConfig).
const (
	streamIdleTimeout     = 4 * time.Hour
	streamCreationTimeout = remotecommandconsts.DefaultStreamCreationTimeout
)

func main() {
	address := flag.String("address", "127.0.0.1", "address to listen on")
	port := flag.Int("port", 0, "port to listen on (0: any free port, written to -port-file)")
	portFile := flag.String("port-file", "", "file to write the port to once listening")
	certFile := flag.String("tls-cert-file", "", "serving certificate (PEM)")
	keyFile := flag.String("tls-private-key-file", "", "serving key (PEM)")
	root := flag.String("root", "", "folder holding one folder per container: <root>/<namespace>/<pod>/<container>")
	logLines := flag.Int("log-lines", 4, "lines in every container log")
	logGap := flag.Duration("log-gap", 400*time.Millisecond, "pause between log lines when following")
	flag.Parse()
	if *certFile == "" || *keyFile == "" || *root == "" {
		log.Fatal("-tls-cert-file, -tls-private-key-file and -root are required")
	}
	certificate, err := tls.LoadX509KeyPair(*certFile, *keyFile)
	if err != nil {
		log.Fatalf("loading the serving certificate: %v", err)
	}
	containers := newContainers(*root)
	listener, err := net.Listen("tcp", net.JoinHostPort(*address, strconv.Itoa(*port)))
	if err != nil {
		log.Fatalf("listening: %v", err)
	}
	if *portFile != "" {
		writePort(*portFile, listener.Addr().(*net.TCPAddr).Port)
	}
	server := &http.Server{
		Handler:   routes(containers, logs{lines: *logLines, gap: *logGap}),
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{certificate}, MinVersion: tls.VersionTLS12},
	}
	go stopOnSignal(containers)
	log.Printf("fake kubelet listening on https://%s, containers in %s", listener.Addr(), *root)
	log.Fatal(server.ServeTLS(listener, "", ""))
}

// routes lists the kubelet's paths the API server uses, as the kubelet spells them (pkg/kubelet/server).
func routes(containers *containers, logs logs) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/containerLogs/{namespace}/{pod}/{container}", logs.serve)
	mux.HandleFunc("/exec/{namespace}/{pod}/{container}", func(w http.ResponseWriter, r *http.Request) {
		options, err := remotecommand.NewOptions(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		remotecommand.ServeExec(w, r, containers, podKey(r), "", r.PathValue("container"), r.URL.Query()["command"],
			options, streamIdleTimeout, streamCreationTimeout, remotecommandconsts.SupportedStreamingProtocols)
	})
	mux.HandleFunc("/attach/{namespace}/{pod}/{container}", func(w http.ResponseWriter, r *http.Request) {
		options, err := remotecommand.NewOptions(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		remotecommand.ServeAttach(w, r, containers, podKey(r), "", r.PathValue("container"),
			options, streamIdleTimeout, streamCreationTimeout, remotecommandconsts.SupportedStreamingProtocols)
	})
	mux.HandleFunc("/portForward/{namespace}/{pod}", func(w http.ResponseWriter, r *http.Request) {
		options, err := portforward.NewV4Options(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		portforward.ServePortForward(w, r, forwarder{}, podKey(r), "", options,
			streamIdleTimeout, streamCreationTimeout, portforward.SupportedProtocols)
	})
	return logRequests(mux)
}

// logRequests writes one line per request as it arrives, with the protocol the API server asked for: which
// transport reached the kubelet is what a reader of a failed streaming test wants to know first.
func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.Printf("%s %s %s upgrade=%q protocols=%q %q", r.Proto, r.Method, r.URL.Path, r.Header.Get("Upgrade"),
			r.Header.Values("X-Stream-Protocol-Version"), r.Header.Values("Sec-WebSocket-Protocol"))
		next.ServeHTTP(w, r)
	})
}

// podKey names a pod as "<namespace>/<pod>", the form the container callbacks receive as the pod's name.
func podKey(r *http.Request) string {
	return r.PathValue("namespace") + "/" + r.PathValue("pod")
}

// writePort publishes the port by rename, so a reader never sees a half-written file.
func writePort(file string, port int) {
	temporary := filepath.Join(filepath.Dir(file), "."+filepath.Base(file)+".tmp")
	if err := os.WriteFile(temporary, []byte(fmt.Sprintf("%d\n", port)), 0o644); err != nil {
		log.Fatalf("writing the port file: %v", err)
	}
	if err := os.Rename(temporary, file); err != nil {
		log.Fatalf("writing the port file: %v", err)
	}
}

// stopOnSignal ends the containers' long-running processes with the kubelet, so none outlives a test run.
func stopOnSignal(containers *containers) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	received := <-signals
	containers.stop()
	log.Printf("fake kubelet stopped by %v", received)
	os.Exit(0)
}
