package main

import (
	"context"
	"fmt"
	"io"
	"net"

	"k8s.io/apimachinery/pkg/types"
)

// forwarder connects a forwarded port to that port on 127.0.0.1: every pod shares this machine's network, so a test
// server listening here stands for a server in the pod.
type forwarder struct{}

func (forwarder) PortForward(ctx context.Context, pod string, _ types.UID, port int32, stream io.ReadWriteCloser) error {
	defer stream.Close()
	var dialer net.Dialer
	connection, err := dialer.DialContext(ctx, "tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return fmt.Errorf("pod %s: forwarding port %d: %w", pod, port, err)
	}
	defer connection.Close()
	fromServer := make(chan struct{})
	go func() {
		_, _ = io.Copy(stream, connection)
		close(fromServer)
	}()
	// The client's end of the data stream is a half-close: the server may still answer.
	_, _ = io.Copy(connection, stream)
	_ = connection.(*net.TCPConn).CloseWrite()
	<-fromServer
	return nil
}
