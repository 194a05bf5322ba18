package main

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func tlsConfig(caFile string, protocols ...string) *tls.Config {
	pool := x509.NewCertPool()
	pem, err := os.ReadFile(caFile)
	if err != nil {
		log.Fatal(err)
	}
	pool.AppendCertsFromPEM(pem)
	return &tls.Config{RootCAs: pool, NextProtos: protocols}
}

func emit(value any) {
	json.NewEncoder(os.Stdout).Encode(value)
}

func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	index := int(p * float64(len(sorted)-1))
	return float64(sorted[index].Microseconds()) / 1000
}

// watchClient opens n watches over HTTP/2, waits until all are open, then records for each event the time between the
// upstream writing it and its arrival here. (While they open, Go's transport opens many more TLS connections than
// there are watches — measured 11,781 to multikube early in the opening of 3,000 — and closes them once idle.)
// Latencies are also reported per 5 s window and for the second half of the hold, apart from the opening's backlog.
func watchClient(args []string) {
	flags := flag.NewFlagSet("watch", flag.ExitOnError)
	target := flags.String("url", "", "watch URL")
	token := flags.String("token", "", "bearer token")
	ca := flags.String("ca", "", "CA that issued the server's certificate")
	n := flags.Int("n", 1000, "concurrent watches")
	hold := flags.Duration("hold", 20*time.Second, "how long to measure once all watches are open")
	pid := flags.Int("pid", 0, "process whose RSS and threads to read while the watches are open")
	flags.Parse(args)

	transport := &http.Transport{TLSClientConfig: tlsConfig(*ca), ForceAttemptHTTP2: true,
		MaxIdleConnsPerHost: 1000, HTTP2: &http.HTTP2Config{}}
	client := &http.Client{Transport: transport}
	var opened, failed atomic.Int64
	var measuring atomic.Bool
	var measureStart time.Time
	var mu sync.Mutex
	var samples []time.Duration
	var arrivals []time.Duration // since measureStart, one per sample
	var ready sync.WaitGroup
	ready.Add(*n)
	start := time.Now()
	for i := 0; i < *n; i++ {
		go func() {
			request, _ := http.NewRequest("GET", *target, nil)
			request.Header.Set("Authorization", "Bearer "+*token)
			response, err := client.Do(request)
			if err != nil || response.StatusCode != 200 {
				failed.Add(1)
				if err == nil {
					err = fmt.Errorf("status %d", response.StatusCode)
				}
				if failed.Load() <= 3 {
					log.Printf("watch failed: %v", err)
				}
				ready.Done()
				return
			}
			opened.Add(1)
			ready.Done()
			lines := bufio.NewScanner(response.Body)
			for lines.Scan() {
				arrived := time.Now()
				line := lines.Bytes()
				at := bytes.Index(line, []byte(`"ts":"`))
				if at < 0 || !measuring.Load() {
					continue
				}
				rest := line[at+6:]
				sent, _ := strconv.ParseInt(string(rest[:bytes.IndexByte(rest, '"')]), 10, 64)
				mu.Lock()
				samples = append(samples, arrived.Sub(time.Unix(0, sent)))
				arrivals = append(arrivals, arrived.Sub(measureStart))
				mu.Unlock()
			}
		}()
	}
	ready.Wait()
	openSeconds := time.Since(start).Seconds()
	log.Printf("%d watches open (%d failed) in %.1fs; measuring for %s", opened.Load(), failed.Load(), openSeconds, *hold)
	time.Sleep(2 * time.Second)
	measureStart = time.Now() // published to the readers by the store below
	measuring.Store(true)
	time.Sleep(*hold)
	rss, threads := procStatus(*pid)
	measuring.Store(false)
	stillOpen := opened.Load()
	mu.Lock()
	sorted := slices.Clone(samples)
	at := slices.Clone(arrivals)
	unsorted := slices.Clone(samples)
	mu.Unlock()
	slices.Sort(sorted)
	windows, late := latencyWindows(at, unsorted, *hold, 5*time.Second)
	emit(map[string]any{"requested": *n, "opened": stillOpen, "failed": failed.Load(), "open_seconds": openSeconds,
		"events": len(sorted), "p50_ms": percentile(sorted, 0.50), "p90_ms": percentile(sorted, 0.90),
		"p99_ms": percentile(sorted, 0.99), "max_ms": percentile(sorted, 1), "rss_mib": rss, "threads": threads,
		"windows": windows, "late_events": len(late), "late_p50_ms": percentile(late, 0.50),
		"late_p99_ms": percentile(late, 0.99)})
	os.Exit(0)
}

// latencyWindows groups latencies by when they arrived: p50/p99 per window, and the sorted latencies of the second
// half of the hold (the steady state once the backlog of the opening, if any, is relayed).
func latencyWindows(at, latencies []time.Duration, hold, width time.Duration) ([]map[string]any, []time.Duration) {
	buckets := make([][]time.Duration, int((hold+width-1)/width))
	var late []time.Duration
	for i, arrived := range at {
		b := min(max(int(arrived/width), 0), len(buckets)-1)
		buckets[b] = append(buckets[b], latencies[i])
		if arrived >= hold/2 {
			late = append(late, latencies[i])
		}
	}
	windows := make([]map[string]any, 0, len(buckets))
	for b, bucket := range buckets {
		slices.Sort(bucket)
		windows = append(windows, map[string]any{"from_s": (time.Duration(b) * width).Seconds(),
			"to_s": min(time.Duration(b+1)*width, hold).Seconds(), "events": len(bucket),
			"p50_ms": percentile(bucket, 0.50), "p99_ms": percentile(bucket, 0.99)})
	}
	slices.Sort(late)
	return windows, late
}

// procStatus reads VmRSS (MiB) and Threads from /proc/<pid>/status.
func procStatus(pid int) (float64, int) {
	if pid == 0 {
		return 0, 0
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	var rss float64
	var threads int
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) >= 2 && fields[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(fields[1], 64)
			rss = kb / 1024
		}
		if len(fields) >= 2 && fields[0] == "Threads:" {
			threads, _ = strconv.Atoi(fields[1])
		}
	}
	return rss, threads
}

// upgradeClient asks for an upgrade (SPDY/3.1, as kubectl port-forward and exec do), then sends size bytes and reads
// them back from the echoing upstream; the rate is size over the time until the last byte came back.
func upgradeClient(args []string) {
	flags := flag.NewFlagSet("upgrade", flag.ExitOnError)
	target := flags.String("url", "", "https URL to upgrade")
	token := flags.String("token", "", "bearer token")
	ca := flags.String("ca", "", "CA that issued the server's certificate")
	size := flags.Int64("mib", 256, "MiB to send and receive")
	runs := flags.Int("runs", 3, "runs; the median is reported")
	flags.Parse(args)
	parsed, _ := url.Parse(*target)
	var rates []float64
	for run := 0; run < *runs; run++ {
		rates = append(rates, upgradeOnce(parsed, *token, tlsConfig(*ca, "http/1.1"), *size<<20))
	}
	slices.Sort(rates)
	emit(map[string]any{"mib": *size, "runs": rates, "median_mib_s": rates[len(rates)/2]})
}

func upgradeOnce(target *url.URL, token string, config *tls.Config, size int64) float64 {
	conn, err := tls.Dial("tcp", target.Host, config)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nConnection: Upgrade\r\n"+
		"Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\nContent-Length: 0\r\n\r\n",
		target.RequestURI(), target.Host, token)
	reader := bufio.NewReaderSize(conn, 64*1024)
	status, err := reader.ReadString('\n')
	if err != nil || !strings.Contains(status, " 101 ") {
		log.Fatalf("no 101: %q %v", status, err)
	}
	for {
		line, err := reader.ReadString('\n')
		if err != nil {
			log.Fatal(err)
		}
		if line == "\r\n" {
			break
		}
	}
	start := time.Now()
	go func() {
		chunk := make([]byte, 64*1024)
		for sent := int64(0); sent < size; sent += int64(len(chunk)) {
			if _, err := conn.Write(chunk); err != nil {
				log.Fatal(err)
			}
		}
	}()
	received, err := io.CopyN(io.Discard, reader, size)
	if err != nil {
		log.Fatalf("received %d of %d: %v", received, size, err)
	}
	return float64(size) / (1 << 20) / time.Since(start).Seconds()
}

// handshakes counts full TLS handshakes per second (no session resumption), each on a new connection, from c
// concurrent loops.
func handshakes(args []string) {
	flags := flag.NewFlagSet("handshake", flag.ExitOnError)
	addr := flags.String("addr", "", "host:port")
	ca := flags.String("ca", "", "CA that issued the server's certificate")
	name := flags.String("name", "localhost", "server name")
	concurrency := flags.Int("c", 4, "concurrent loops")
	duration := flags.Duration("d", 10*time.Second, "duration")
	flags.Parse(args)
	config := tlsConfig(*ca, "h2", "http/1.1")
	config.ServerName = *name
	var done, failed atomic.Int64
	deadline := time.Now().Add(*duration)
	var wait sync.WaitGroup
	for i := 0; i < *concurrency; i++ {
		wait.Add(1)
		go func() {
			defer wait.Done()
			for time.Now().Before(deadline) {
				conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", *addr, config)
				if err != nil {
					failed.Add(1)
					continue
				}
				conn.Close()
				done.Add(1)
			}
		}()
	}
	wait.Wait()
	emit(map[string]any{"handshakes": done.Load(), "failed": failed.Load(),
		"per_second": float64(done.Load()) / duration.Seconds()})
}

// burst sends n identical GETs at once (each on its own connection, released together) and counts the answers.
func burst(args []string) {
	flags := flag.NewFlagSet("burst", flag.ExitOnError)
	target := flags.String("url", "", "URL")
	token := flags.String("token", "", "bearer token")
	ca := flags.String("ca", "", "CA that issued the server's certificate")
	n := flags.Int("n", 100, "concurrent requests")
	flags.Parse(args)
	var gate, wait sync.WaitGroup
	gate.Add(1)
	codes := make([]int, *n)
	caches := make([]string, *n)
	for i := 0; i < *n; i++ {
		wait.Add(1)
		go func() {
			defer wait.Done()
			client := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsConfig(*ca, "http/1.1")}}
			request, _ := http.NewRequest("GET", *target, nil)
			request.Header.Set("Authorization", "Bearer "+*token)
			gate.Wait()
			response, err := client.Do(request)
			if err != nil {
				return
			}
			io.Copy(io.Discard, response.Body)
			response.Body.Close()
			codes[i] = response.StatusCode
			caches[i] = response.Header.Get("X-Multikube-Cache")
		}()
	}
	time.Sleep(500 * time.Millisecond)
	gate.Done()
	wait.Wait()
	ok, hits := 0, 0
	for i := range codes {
		if codes[i] == 200 {
			ok++
		}
		if caches[i] == "hit" {
			hits++
		}
	}
	emit(map[string]any{"requests": *n, "ok": ok, "cache_hit_headers": hits})
}

// startup runs a command, polls url every 5 ms until it answers 200, reports the time, waits settle, reports the
// process's RSS and threads, and stops the process.
func startup(args []string) {
	flags := flag.NewFlagSet("startup", flag.ExitOnError)
	ready := flags.String("ready", "", "URL that answers 200 when the process is ready")
	settle := flags.Duration("settle", 5*time.Second, "idle time before RSS is read")
	flags.Parse(args)
	command := exec.Command(flags.Arg(0), flags.Args()[1:]...)
	command.Stdout, command.Stderr = os.Stderr, os.Stderr
	start := time.Now()
	if err := command.Start(); err != nil {
		log.Fatal(err)
	}
	defer command.Process.Kill()
	client := &http.Client{Timeout: time.Second}
	var readyMs float64
	for {
		response, err := client.Get(*ready)
		if err == nil {
			response.Body.Close()
			if response.StatusCode == 200 {
				readyMs = float64(time.Since(start).Microseconds()) / 1000
				break
			}
		}
		if time.Since(start) > 60*time.Second {
			command.Process.Kill() // log.Fatal skips the deferred kill: a server left running would hold its ports
			log.Fatal("not ready within 60s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(*settle)
	rss, threads := procStatus(command.Process.Pid)
	emit(map[string]any{"ready_ms": readyMs, "idle_rss_mib": rss, "threads": threads})
}
