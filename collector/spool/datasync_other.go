//go:build !linux

package spool

import "syscall"

// datasync flushes a segment (fsync: fdatasync is Linux's).
func datasync(fd int) error {
	for {
		err := syscall.Fsync(fd)
		if err != syscall.EINTR {
			return err
		}
	}
}
