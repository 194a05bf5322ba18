package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"
	"unsafe"

	"k8s.io/client-go/tools/remotecommand"
)

// firstSizeWait bounds how long a terminal command waits for the client's terminal size. kubectl sends it right
// after the streams open, possibly after the command would have started; a runtime that sizes the terminal before
// the process starts (as container runtimes do) makes `stty size` in the first line of a command reliable.
const firstSizeWait = 2 * time.Second

// runInTerminal runs the command on a new pseudo-terminal (its controlling terminal, stdin, stdout and stderr, as
// for `kubectl exec -t`), and applies every size the client's terminal reports.
func runInTerminal(process *exec.Cmd, in io.Reader, out io.Writer, resize <-chan remotecommand.TerminalSize) error {
	master, slave, err := openTerminal()
	if err != nil {
		return err
	}
	defer master.Close()
	select {
	case size, ok := <-resize:
		if ok {
			_ = setSize(master, size)
		}
	case <-time.After(firstSizeWait):
	}
	go func() {
		for size := range resize {
			_ = setSize(master, size)
		}
	}()
	process.Stdin, process.Stdout, process.Stderr = slave, slave, slave
	process.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0, Pdeathsig: syscall.SIGKILL}
	err = process.Start()
	_ = slave.Close() // the command holds it now; reading the master ends when the command's side closes
	if err != nil {
		return err
	}
	if in != nil {
		go func() { _, _ = io.Copy(master, in) }()
	}
	if out != nil {
		_, _ = io.Copy(out, master) // ends with EIO once the command and its children have closed the terminal
	} else {
		_, _ = io.Copy(io.Discard, master)
	}
	return process.Wait()
}

// openTerminal opens a pseudo-terminal pair with the standard library alone (Linux: /dev/ptmx and /dev/pts).
func openTerminal() (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	var unlock int32
	var number uint32
	if err = ioctl(master, syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)); err == nil {
		err = ioctl(master, syscall.TIOCGPTN, unsafe.Pointer(&number))
	}
	if err == nil {
		slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", number), os.O_RDWR|syscall.O_NOCTTY, 0)
	}
	if err != nil {
		_ = master.Close()
		return nil, nil, fmt.Errorf("opening a terminal: %w", err)
	}
	return master, slave, nil
}

func setSize(terminal *os.File, size remotecommand.TerminalSize) error {
	window := struct{ rows, cols, x, y uint16 }{size.Height, size.Width, 0, 0}
	return ioctl(terminal, syscall.TIOCSWINSZ, unsafe.Pointer(&window))
}

// ioctl goes through SyscallConn, not Fd, which would switch the file to blocking mode and keep Close from
// interrupting a pending Read.
func ioctl(file *os.File, request uintptr, argument unsafe.Pointer) error {
	connection, err := file.SyscallConn()
	if err != nil {
		return err
	}
	var errno syscall.Errno
	if err = connection.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, request, uintptr(argument))
	}); err != nil {
		return err
	}
	if errno != 0 {
		return errno
	}
	return nil
}
