package site

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// Goal is one of a site's goals as configured: a name, either an event
// or a path pattern, and an optional journey stage.
type Goal struct {
	// Name is written in the row's goal field.
	Name string
	// Event is a custom event's name, or one of the built-in event types
	// (outbound, download, form, leave, vitals, experiment), which then
	// matches every event of that type.
	Event string
	// Path is a pattern of pageview paths: "*" matches any characters
	// within one segment, a last segment "**" any rest (also none).
	Path string
	// Stage is the journey stage, written in the row's stage field.
	Stage string
}

// Built-in event types a goal's Event may name; any other name is a
// custom event's.
var goalTypes = []string{"outbound", "download", "form", "leave", "vitals", "experiment"}

// Limits of a goal's fields.
const (
	MaxGoalNameLen  = 64
	MaxGoalStageLen = 32
	MaxGoals        = 100
)

// Goals are a site's goals, checked and ready for matching.
type Goals struct {
	list []compiledGoal
}

type compiledGoal struct {
	name, stage []byte // as bytes: rows append them without converting
	kind        string // a built-in type, or "custom" for an event name
	event       []byte // the custom event's name
	path        []byte // the pattern, for pageviews
}

// NewGoals checks list and prepares it for Match.
func NewGoals(list []Goal) (Goals, error) {
	if len(list) > MaxGoals {
		return Goals{}, fmt.Errorf("%d goals; at most %d are allowed", len(list), MaxGoals)
	}
	var errs []error
	g := Goals{list: make([]compiledGoal, 0, len(list))}
	for i, goal := range list {
		if err := ValidateGoal(goal); err != nil {
			errs = append(errs, fmt.Errorf("goal %d: %w", i, err))
			continue
		}
		g.list = append(g.list, compile(goal))
	}
	return g, errors.Join(errs...)
}

func compile(goal Goal) compiledGoal {
	c := compiledGoal{name: []byte(goal.Name), stage: []byte(goal.Stage)}
	if goal.Stage == "" {
		c.stage = nil
	}
	switch {
	case goal.Path != "":
		c.kind, c.path = "pageview", []byte(goal.Path)
	case isGoalType(goal.Event):
		c.kind = goal.Event
	default:
		c.kind, c.event = "custom", []byte(goal.Event)
	}
	return c
}

func isGoalType(event string) bool {
	for _, t := range goalTypes {
		if event == t {
			return true
		}
	}
	return false
}

// Len returns the number of goals.
func (g *Goals) Len() int { return len(g.list) }

// Match returns the first goal, in configuration order, that an event of
// type kind (its wire name) with custom name name and page path path
// reaches, with its stage; nil when none does. It allocates nothing.
func (g *Goals) Match(kind string, name, path []byte) (goal, stage []byte) {
	if len(g.list) == 0 {
		return nil, nil
	}
	if i := bytes.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	for i := range g.list {
		c := &g.list[i]
		if c.kind != kind {
			continue
		}
		if c.path != nil && matchPath(c.path, path) || c.event != nil && bytes.Equal(c.event, name) || c.path == nil && c.event == nil {
			return c.name, c.stage
		}
	}
	return nil, nil
}

// ValidateGoal explains what is wrong with goal, in words for the site's
// owner, or returns nil.
func ValidateGoal(goal Goal) error {
	var errs []error
	if err := ValidateGoalName(goal.Name); err != nil {
		errs = append(errs, fmt.Errorf("name %w", err))
	}
	switch {
	case goal.Event == "" && goal.Path == "":
		errs = append(errs, errors.New("has neither event nor path; give one, like event: signup or path: /thank-you"))
	case goal.Event != "" && goal.Path != "":
		errs = append(errs, errors.New("has both event and path; a goal is one or the other, so make two goals"))
	case goal.Path != "":
		if err := ValidatePattern(goal.Path); err != nil {
			errs = append(errs, fmt.Errorf("path %w", err))
		}
	default:
		if err := ValidateGoalEvent(goal.Event); err != nil {
			errs = append(errs, fmt.Errorf("event %w", err))
		}
	}
	if err := ValidateStage(goal.Stage); err != nil {
		errs = append(errs, fmt.Errorf("stage %w", err))
	}
	return errors.Join(errs...)
}

// ValidateGoalEvent explains why event cannot be a goal's event, or
// returns nil.
func ValidateGoalEvent(event string) error {
	switch {
	case event == "pageview" || event == "consent":
		return fmt.Errorf("%q cannot be a goal's event; for pageviews give a path, like path: /thank-you", event)
	case len(event) > MaxGoalNameLen:
		return fmt.Errorf("%q is longer than %d bytes, the longest event name", event, MaxGoalNameLen)
	}
	return nil
}

// ValidateGoalName explains why name cannot name a goal, or returns nil.
func ValidateGoalName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return errors.New("is empty; name the goal, like signup")
	case len(name) > MaxGoalNameLen:
		return fmt.Errorf("%q is longer than %d bytes", name, MaxGoalNameLen)
	case strings.IndexFunc(name, func(r rune) bool { return r < ' ' || r == 0x7f }) >= 0:
		return fmt.Errorf("%q has a control character", name)
	}
	return nil
}

// ValidateStage explains why stage is not a short identifier (a lower-case
// letter, then lower-case letters, digits, _ or -, at most 32), or returns
// nil; an empty stage is fine.
func ValidateStage(stage string) error {
	if stage == "" {
		return nil
	}
	if len(stage) > MaxGoalStageLen {
		return fmt.Errorf("%q is longer than %d characters; use a short label like consideration", stage, MaxGoalStageLen)
	}
	for i, c := range []byte(stage) {
		if !('a' <= c && c <= 'z' || i > 0 && ('0' <= c && c <= '9' || c == '_' || c == '-')) {
			return fmt.Errorf("%q is not a short label: use lower-case letters, digits, _ and -, starting with a letter, like awareness, consideration or conversion", stage)
		}
	}
	return nil
}
