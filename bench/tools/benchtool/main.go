// Command benchtool holds the small pieces the benchmark needs that neither nginx nor wrk provide: an upstream that
// emits watch events and echoes upgraded connections, a watch client that measures event relay latency, an upgrade
// throughput client, a TLS handshake counter, a burst of identical GETs, and a start-up timer.
// Every subcommand prints one JSON object on standard output.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	commands := map[string]func([]string){
		"upstream":  upstream,
		"watch":     watchClient,
		"upgrade":   upgradeClient,
		"handshake": handshakes,
		"burst":     burst,
		"startup":   startup,
	}
	command, ok := commands[os.Args[1]]
	if !ok {
		usage()
	}
	command(os.Args[2:])
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: benchtool upstream|watch|upgrade|handshake|burst|startup [flags]")
	os.Exit(2)
}
