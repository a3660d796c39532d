package collector

// validateDedupe checks the seen-set's settings.
func validateDedupe(ps *problems, d DedupeConfig) {
	atLeastSecond(ps, "dedupe.window", d.Window)
	if d.MaxEvents < 0 {
		ps.add("dedupe.max_events", "%d is negative; leave it out for the default of 1048576", d.MaxEvents)
	}
}
