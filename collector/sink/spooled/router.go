package spooled

import (
	"context"
	"errors"

	"github.com/crumbless/crumbless/collector/sink"
)

// Router is one sink.Positioned made of several, each taking the records
// of its kind: the file sinks of a data directory (events, consent
// records, raw heatmaps) share one relay, so that the spool is read once
// for all of them. Records of a kind without a route are passed over.
type Router struct {
	routes map[sink.Kind]sink.Positioned
	sinks  []sink.Positioned // each once, in the order given
	parts  map[sink.Positioned]*sink.Batch
}

var _ sink.Positioned = (*Router)(nil)

// NewRouter returns a Router sending each kind's records to its sink; a
// sink may take several kinds.
func NewRouter(routes map[sink.Kind]sink.Positioned) *Router {
	r := &Router{routes: routes, parts: map[sink.Positioned]*sink.Batch{}}
	for k := range sink.NumKinds {
		if s, ok := routes[k]; ok && r.parts[s] == nil {
			r.sinks = append(r.sinks, s)
			r.parts[s] = &sink.Batch{}
		}
	}
	return r
}

// Connect connects every sink.
func (r *Router) Connect(ctx context.Context) error {
	for _, s := range r.sinks {
		if err := s.Connect(ctx); err != nil {
			return err
		}
	}
	return nil
}

// WriteBatch hands each sink its records of b, in spool order. The
// framework calls it from one goroutine (a Positioned sink gets one batch
// at a time).
func (r *Router) WriteBatch(ctx context.Context, b *sink.Batch) error {
	for _, p := range r.parts {
		p.Records = p.Records[:0]
	}
	for i := range b.Records {
		if s, ok := r.routes[b.Records[i].Kind]; ok {
			p := r.parts[s]
			p.Records = append(p.Records, b.Records[i])
		}
	}
	for _, s := range r.sinks {
		if p := r.parts[s]; len(p.Records) > 0 {
			if err := s.WriteBatch(ctx, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// Durable is the lowest of the sinks' (each is unbounded when it holds
// nothing pending); lost if any lost a record.
func (r *Router) Durable() (uint64, bool) {
	p, lost := ^uint64(0), false
	for _, s := range r.sinks {
		d, l := s.Durable()
		p, lost = min(p, d), lost || l
	}
	return p, lost
}

// Reset resets every sink.
func (r *Router) Reset(cursor uint64) error {
	var errs []error
	for _, s := range r.sinks {
		errs = append(errs, s.Reset(cursor))
	}
	return errors.Join(errs...)
}

// Committed tells every sink.
func (r *Router) Committed(cursor uint64) {
	for _, s := range r.sinks {
		s.Committed(cursor)
	}
}

// Close closes every sink.
func (r *Router) Close() error {
	var errs []error
	for _, s := range r.sinks {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}
