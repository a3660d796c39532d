package mouse

// run is a burst of occurrences (clicks, scroll direction changes), each
// within window of the previous one. It is hit once k of them fall within
// window of each other.
type run struct {
	times [maxRun]int64 // the latest occurrences, a ring
	n     int32         // occurrences in the run
	first int64
	hit   bool
}

// over reports whether the run has ended at now.
func (r *run) over(now int64, window int32) bool {
	return r.n > 0 && now-r.times[(r.n-1)%maxRun] > int64(window)
}

// add counts an occurrence at t, which must not be over; it reports
// whether the run became hit.
func (r *run) add(t int64, k, window int32) bool {
	if r.n == 0 {
		r.first = t
	}
	r.times[r.n%maxRun] = t
	r.n = min(r.n+1, 1<<30)
	if r.hit || r.n < k || t-r.times[(r.n-k)%maxRun] > int64(window) {
		return false
	}
	r.hit = true
	return true
}

func (r *run) count() uint16 { return uint16(min(r.n, MaxCount)) }
