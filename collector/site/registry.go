package site

import (
	"errors"
	"fmt"
)

// Registry finds sites by id. It is read-only after New, so it is safe for
// concurrent use.
type Registry struct {
	sites map[string]*Site
	// any answers for unconfigured sites in demo mode; nil otherwise.
	any *Site
}

// NewRegistry checks sites and indexes them by id. In demo mode every site
// also allows loopback origins, and Lookup answers for any well-formed id.
func NewRegistry(sites []Site, demo bool) (*Registry, error) {
	r := &Registry{sites: make(map[string]*Site, len(sites))}
	var errs []error
	for i := range sites {
		s := sites[i]
		s.Origins = append([]string(nil), s.Origins...)
		s.Loopback = s.Loopback || demo
		s.Hosts = hostsOf(s.Origins, s.Loopback)
		if err := check(&s); err != nil {
			errs = append(errs, fmt.Errorf("site %d: %w", i, err))
			continue
		}
		if _, dup := r.sites[s.ID]; dup {
			errs = append(errs, fmt.Errorf("site %d: id %q listed twice", i, s.ID))
			continue
		}
		r.sites[s.ID] = &s
	}
	if demo {
		r.any = &Site{ID: LoopbackAny, Loopback: true, Hosts: hostsOf(nil, true)}
	}
	return r, errors.Join(errs...)
}

func check(s *Site) error {
	if err := ValidateID(s.ID); err != nil {
		return err
	}
	for _, o := range s.Origins {
		if err := ValidateOrigin(o); err != nil {
			return err
		}
	}
	return nil
}

// Lookup returns the site named id. In demo mode an unconfigured but
// well-formed id gets the catch-all site (ID LoopbackAny), which allows
// loopback origins only.
func (r *Registry) Lookup(id []byte) (*Site, bool) {
	if s, ok := r.sites[string(id)]; ok {
		return s, true
	}
	if r.any != nil && ValidID(id) {
		return r.any, true
	}
	return nil, false
}

// Len returns the number of configured sites.
func (r *Registry) Len() int { return len(r.sites) }
