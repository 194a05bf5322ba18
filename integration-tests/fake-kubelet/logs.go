package main

import (
	"fmt"
	"net/http"
	"time"
)

// logs serves every container's log: the same numbered lines, a pause between them when followed, so a test can
// tell lines that arrive as they are written from lines that arrive all at once.
type logs struct {
	lines int
	gap   time.Duration
}

// Line is the text of log line i; the integration tests expect exactly this.
func line(i int) string {
	return fmt.Sprintf("log line %d from the fake kubelet", i)
}

func (l logs) serve(w http.ResponseWriter, r *http.Request) {
	follow := r.URL.Query().Get("follow") == "true"
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	for i := 0; i < l.lines; i++ {
		if follow && i > 0 {
			select {
			case <-time.After(l.gap):
			case <-r.Context().Done():
				return
			}
		}
		if _, err := fmt.Fprintln(w, line(i)); err != nil {
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
	}
}
