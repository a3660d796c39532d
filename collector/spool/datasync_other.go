//go:build !linux

package spool

// datasync flushes the active segment (fsync: fdatasync is Linux's).
func (s *Spool) datasync() error { return s.active.Sync() }
