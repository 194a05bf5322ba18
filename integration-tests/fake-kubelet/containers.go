package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/remotecommand"
	utilexec "k8s.io/utils/exec"
)

// mainCommand is every container's long-running process, the one attach connects to: it says it is alive every
// second (so an attach without stdin sees output) and echoes its stdin (so an attach with stdin sees its own input).
const mainCommand = `(while :; do echo "container is running"; sleep 1; done) & exec cat`

// containers runs a container's processes on this machine, in <root>/<namespace>/<pod>/<container>. Commands see
// the real file system, so tests use relative paths to stay inside the container's folder.
type containers struct {
	root string
	mu   sync.Mutex
	main map[string]*mainProcess
}

func newContainers(root string) *containers {
	return &containers{root: root, main: map[string]*mainProcess{}}
}

// folder creates the container's folder on first use.
func (c *containers) folder(pod, container string) (string, error) {
	if strings.Contains(pod+"/"+container, "..") {
		return "", fmt.Errorf("pod %q, container %q: '..' is not allowed", pod, container)
	}
	folder := filepath.Join(c.root, filepath.FromSlash(pod), container)
	return folder, os.MkdirAll(folder, 0o755)
}

func environment(folder string, tty bool) []string {
	env := []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + folder}
	if tty {
		env = append(env, "TERM=xterm") // as container runtimes set it for a terminal
	}
	return env
}

// ExecInContainer runs cmd in the container's folder; a non-zero exit becomes the exit code kubectl reports.
func (c *containers) ExecInContainer(ctx context.Context, pod string, _ types.UID, container string, cmd []string,
	in io.Reader, out, stderr io.WriteCloser, tty bool, resize <-chan remotecommand.TerminalSize, _ time.Duration) error {
	if len(cmd) == 0 {
		return errors.New("no command given")
	}
	folder, err := c.folder(pod, container)
	if err != nil {
		return err
	}
	process := exec.CommandContext(ctx, cmd[0], cmd[1:]...)
	process.Dir = folder
	process.Env = environment(folder, tty)
	if tty {
		err = runInTerminal(process, in, out, resize)
	} else {
		err = run(process, in, out, stderr)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return &utilexec.ExitErrorWrapper{ExitError: exit}
	}
	return err
}

// run connects stdin through a pipe of our own: exec.Cmd would wait for the client's stdin to end even after the
// command exited (`exec -i -- sh -c 'exit 3'`), while a container's exec ends with its process.
func run(process *exec.Cmd, in io.Reader, out, stderr io.Writer) error {
	process.Stdout = out
	process.Stderr = stderr
	process.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	var stdin io.WriteCloser
	if in != nil {
		pipe, err := process.StdinPipe()
		if err != nil {
			return err
		}
		stdin = pipe
	}
	if err := process.Start(); err != nil {
		return err
	}
	if stdin != nil {
		go func() {
			_, _ = io.Copy(stdin, in)
			_ = stdin.Close() // the client's EOF is the command's EOF: what `kubectl cp` and `exec -i` rely on
		}()
	}
	return process.Wait()
}
