package spool

import "syscall"

// datasync flushes the active segment's data and whatever metadata reading
// it back needs (its size when it grew), not its times: on a reused
// segment, data alone.
func (s *Spool) datasync() error {
	for {
		err := syscall.Fdatasync(s.activeFD)
		if err != syscall.EINTR {
			return err
		}
	}
}
