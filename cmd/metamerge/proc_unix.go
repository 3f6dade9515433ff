//go:build unix

package main

import (
	"os/exec"
	"syscall"
)

// ownGroup starts the harness in a process group of its own, so that the
// runner can stop it with whatever it started: a harness behind a shell
// or "go run" is a tree of processes.
func ownGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

// killTree kills the harness's process group.
func killTree(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Process.Kill()
	}
}
