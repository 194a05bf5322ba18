package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// upstream serves watches (?watch=true: one event per period, each carrying the time it was written) and answers
// upgrade requests with 101, then echoes every byte back. Anything else gets a small JSON object.
func upstream(args []string) {
	flags := flag.NewFlagSet("upstream", flag.ExitOnError)
	addr := flags.String("addr", "127.0.0.1:9443", "listen address")
	cert := flags.String("cert", "", "serving certificate (PEM)")
	key := flags.String("key", "", "serving key (PEM)")
	period := flags.Duration("period", 2*time.Second, "time between events on each watch")
	flags.Parse(args)

	var open, requests atomic.Int64
	go func() {
		for range time.Tick(10 * time.Second) {
			log.Printf("open watches: %d, requests: %d", open.Load(), requests.Load())
		}
	}()
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		switch {
		case strings.EqualFold(r.Header.Get("Upgrade"), "SPDY/3.1") || strings.EqualFold(r.Header.Get("Upgrade"), "websocket"):
			echo(w, r)
		case r.URL.Query().Get("watch") == "true" || r.URL.Query().Get("watch") == "1":
			open.Add(1)
			defer open.Add(-1)
			watch(w, r, *period)
		default:
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"kind":"Status","apiVersion":"v1","status":"Success"}`)
		}
	})
	server := &http.Server{Addr: *addr, Handler: handler, HTTP2: &http.HTTP2Config{MaxConcurrentStreams: 1 << 20}}
	log.Fatal(server.ListenAndServeTLS(*cert, *key))
}

func watch(w http.ResponseWriter, r *http.Request, period time.Duration) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	flusher := w.(http.Flusher)
	flusher.Flush()
	// Streams start at random offsets so events spread evenly over the period.
	first := time.NewTimer(time.Duration(rand.Int64N(int64(period))))
	defer first.Stop()
	select {
	case <-r.Context().Done():
		return
	case <-first.C:
	}
	ticker := time.NewTicker(period)
	defer ticker.Stop()
	for seq := 0; ; seq++ {
		_, err := fmt.Fprintf(w, `{"type":"MODIFIED","object":{"kind":"ConfigMap","apiVersion":"v1",`+
			`"metadata":{"name":"bench","namespace":"default","resourceVersion":"%d"},"data":{"ts":"%d"}}}`+"\n",
			seq, time.Now().UnixNano())
		if err != nil {
			return
		}
		flusher.Flush()
		select {
		case <-r.Context().Done():
			return
		case <-ticker.C:
		}
	}
}

func echo(w http.ResponseWriter, r *http.Request) {
	conn, buffered, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer conn.Close()
	fmt.Fprintf(buffered, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: %s\r\n\r\n",
		r.Header.Get("Upgrade"))
	buffered.Flush()
	reader := bufio.NewReaderSize(buffered.Reader, 64*1024)
	buf := make([]byte, 64*1024)
	for {
		n, err := reader.Read(buf)
		if n > 0 {
			if _, werr := conn.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
