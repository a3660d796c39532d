package spool

import "syscall"

// datasync flushes a segment's data and whatever metadata reading it back
// needs (its size when it grew), not its times: on a reused segment, data
// alone.
func datasync(fd int) error {
	for {
		err := syscall.Fdatasync(fd)
		if err != syscall.EINTR {
			return err
		}
	}
}
