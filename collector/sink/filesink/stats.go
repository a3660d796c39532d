package filesink

import "time"

// fileStats is what a manifest lists of one file besides its name.
type fileStats struct {
	Rows          int64
	Bytes         int64
	SHA256        string
	MinReceived   time.Time // zero when unknown
	MaxReceived   time.Time
	SchemaVersion int // 0 when unknown
}

// received widens the received_at range to t.
func (st *fileStats) received(t time.Time) {
	if t.IsZero() {
		return
	}
	if st.MinReceived.IsZero() || t.Before(st.MinReceived) {
		st.MinReceived = t
	}
	if t.After(st.MaxReceived) {
		st.MaxReceived = t
	}
}
