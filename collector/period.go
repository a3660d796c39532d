package collector

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Period is a length of time a site owner writes in days, weeks, months or
// years as well as Go's units: "390d", "13mo", "2y", "6w", "36h". A month
// is 30 days and a year 365, so "13mo" is the 390 days a choice may last.
type Period time.Duration

// Units of Period.
const (
	Day   = Period(24 * time.Hour)
	Week  = 7 * Day
	Month = 30 * Day
	Year  = 365 * Day
)

var periodUnits = []struct {
	suffix string
	unit   Period
}{{"mo", Month}, {"y", Year}, {"w", Week}, {"d", Day}}

// UnmarshalText reads a Period.
func (p *Period) UnmarshalText(text []byte) error {
	s := strings.TrimSpace(string(text))
	for _, u := range periodUnits {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			n, err := strconv.ParseUint(num, 10, 32)
			if err != nil {
				return fmt.Errorf("%q is not a period; write a whole number and a unit, like 390d, 13mo or 2y", s)
			}
			*p = Period(n) * u.unit
			return nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a period; write a whole number and a unit, like 390d, 13mo or 2y", s)
	}
	*p = Period(d)
	return nil
}

// MarshalText writes p in the largest unit that divides it.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.short()), nil }

func (p Period) short() string {
	for _, u := range periodUnits {
		if p > 0 && p%u.unit == 0 {
			return strconv.FormatInt(int64(p/u.unit), 10) + u.suffix
		}
	}
	return time.Duration(p).String()
}

// String says p in words, like "2 years" or "400 days".
func (p Period) String() string {
	for _, u := range []struct {
		unit Period
		name string
	}{{Year, "year"}, {Month, "month"}, {Week, "week"}, {Day, "day"}} {
		if p > 0 && p%u.unit == 0 {
			n := int64(p / u.unit)
			if n == 1 {
				return "1 " + u.name
			}
			return strconv.FormatInt(n, 10) + " " + u.name + "s"
		}
	}
	return time.Duration(p).String()
}

// Days returns p in whole days, rounded up.
func (p Period) Days() uint32 { return uint32((p + Day - 1) / Day) }
