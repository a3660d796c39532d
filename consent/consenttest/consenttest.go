// Package consenttest generates consent decision cases for tests: the
// consent package's property tests and the tracker's equivalence test,
// which runs the same cases through the WebAssembly build.
//
// It is test support: it is never compiled into the tracker.
package consenttest

import (
	"math/rand"

	"github.com/crumbless/crumbless/consent"
)

// Case is one input of consent.Decide.
type Case struct {
	Policy  consent.Policy
	Signals consent.Signals
	Region  consent.Region
}

// Decide returns consent.Decide of c.
func (c *Case) Decide() consent.Decision { return consent.Decide(&c.Policy, &c.Signals, c.Region) }

var (
	matches = []string{"EEA", "FR", "DE", "US", "US-CA", "US-TX", "GB", "CH", "JP", "BR", "CA-QC", "NO"}
	regions = []consent.Region{{}, {Country: "FR"}, {Country: "DE"}, {Country: "NO"}, {Country: "US"},
		{Country: "US", Subdivision: "CA"}, {Country: "US", Subdivision: "TX"}, {Country: "GB"},
		{Country: "CH"}, {Country: "JP"}, {Country: "BR"}, {Country: "CA", Subdivision: "QC"}}
)

// Cases returns n cases generated from seed; the same seed gives the same
// cases on every platform. Every case's policy is valid (it survives
// consent.AppendPolicy and consent.ParsePolicy).
func Cases(seed int64, n int) []Case {
	rng := rand.New(rand.NewSource(seed))
	out := make([]Case, n)
	for i := range out {
		out[i] = Case{Policy: policy(rng), Signals: signals(rng), Region: regions[rng.Intn(len(regions))]}
	}
	return out
}

func policy(rng *rand.Rand) consent.Policy {
	p := consent.Policy{
		Revision:     uint32(rng.Intn(5)),
		Basis:        consent.Basis(rng.Intn(3)),
		Authority:    consent.Source(rng.Intn(int(consent.NumSources))),
		Default:      profile(rng),
		GPCScope:     consent.GPCScope(rng.Intn(2)),
		HonorDNT:     rng.Intn(2) == 0,
		WaitMillis:   uint32(rng.Intn(2000)),
		ValidityDays: uint32(rng.Intn(391)),
	}
	for q := range p.Caps {
		p.Caps[q] = state(rng, 12)
	}
	if rng.Intn(4) != 0 {
		p.Caps[consent.Necessary] = consent.Unset
	}
	for n := rng.Intn(5) - 1; n > 0; n-- {
		p.Regions = append(p.Regions, consent.RegionRule{Match: matches[rng.Intn(len(matches))],
			Profile: profile(rng)})
	}
	return p
}

func signals(rng *rand.Rand) consent.Signals {
	s := consent.Signals{GPC: rng.Intn(5) == 0, DNT: rng.Intn(5) == 0, OptOut: rng.Intn(20) == 0,
		USOptOut: rng.Intn(5) == 0, NoStorage: rng.Intn(6) == 0}
	for src := range s.Choices {
		if rng.Intn(2) == 0 {
			continue
		}
		c := &s.Choices[src]
		for q := range c.States {
			c.States[q] = state(rng, 3)
		}
		if rng.Intn(2) == 0 {
			c.At = rng.Int63n(2e12)
		}
	}
	if rng.Intn(6) == 0 {
		s.Invalid = uint8(rng.Intn(256))
	}
	return s
}

// profile returns a profile, ProfileOff rarely.
func profile(rng *rand.Rand) consent.Profile {
	if rng.Intn(10) == 0 {
		return consent.ProfileOff
	}
	return consent.Profile(rng.Intn(int(consent.ProfileOff)))
}

// state returns Denied or Granted one time in every n each, else Unset.
func state(rng *rand.Rand, n int) consent.State {
	switch rng.Intn(n) {
	case 0:
		return consent.Denied
	case 1:
		return consent.Granted
	}
	return consent.Unset
}
