package main

import (
	"context"
	"io"
	"log"
	"os/exec"
	"sync"
	"syscall"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/remotecommand"
)

// mainProcess is a container's long-running process: started on the first attach, it runs until the kubelet
// stops. Its output goes to every attached client; every attached stdin feeds its stdin.
type mainProcess struct {
	process *exec.Cmd
	stdin   io.Writer
	mu      sync.Mutex
	clients map[*attachment]struct{}
}

// attachment is one attached client: it ends when its stdin ends or its output cannot be written.
type attachment struct {
	out  io.Writer
	once sync.Once
	done chan struct{}
}

func (a *attachment) end() {
	a.once.Do(func() { close(a.done) })
}

// AttachContainer connects the client to the container's main process. A terminal is not offered: the main process
// runs without one, so a tty request is served as plain streams.
func (c *containers) AttachContainer(ctx context.Context, pod string, _ types.UID, container string, in io.Reader,
	out, stderr io.WriteCloser, _ bool, _ <-chan remotecommand.TerminalSize) error {
	main, err := c.mainProcess(pod, container)
	if err != nil {
		return err
	}
	client := &attachment{out: out, done: make(chan struct{})}
	if out == nil {
		client.out = io.Discard
	}
	main.mu.Lock()
	main.clients[client] = struct{}{}
	main.mu.Unlock()
	defer func() {
		main.mu.Lock()
		delete(main.clients, client)
		main.mu.Unlock()
	}()
	if in != nil {
		go func() {
			_, _ = io.Copy(main.stdin, in) // the process's stdin stays open for the next client
			client.end()
		}()
	}
	select {
	case <-client.done:
	case <-ctx.Done():
	}
	return nil
}

func (c *containers) mainProcess(pod, container string) (*mainProcess, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := pod + "/" + container
	if main, ok := c.main[key]; ok {
		return main, nil
	}
	folder, err := c.folder(pod, container)
	if err != nil {
		return nil, err
	}
	process := exec.Command("/bin/sh", "-c", mainCommand)
	process.Dir = folder
	process.Env = environment(folder, false)
	process.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	stdin, err := process.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := process.StdoutPipe()
	if err != nil {
		return nil, err
	}
	process.Stderr = process.Stdout
	if err := process.Start(); err != nil {
		return nil, err
	}
	main := &mainProcess{process: process, stdin: stdin, clients: map[*attachment]struct{}{}}
	c.main[key] = main
	go main.broadcast(stdout)
	log.Printf("container %s: main process %d started", key, process.Process.Pid)
	return main, nil
}

// broadcast copies the process's output to every attached client; a client that cannot take it is detached.
func (m *mainProcess) broadcast(stdout io.Reader) {
	buffer := make([]byte, 32*1024)
	for {
		n, err := stdout.Read(buffer)
		if n > 0 {
			m.mu.Lock()
			for client := range m.clients {
				if _, werr := client.out.Write(buffer[:n]); werr != nil {
					client.end()
				}
			}
			m.mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

// stop kills every main process with its children (the alive loop and its sleep).
func (c *containers) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, main := range c.main {
		_ = syscall.Kill(-main.process.Process.Pid, syscall.SIGKILL)
	}
}
