package collector

import (
	"fmt"

	"github.com/crumbless/crumbless/collector/site"
)

// validateGoals checks a site's goals, each problem under its field.
func validateGoals(ps *problems, path string, goals []GoalConfig) {
	if len(goals) > site.MaxGoals {
		ps.add(path, "%d goals; at most %d are allowed", len(goals), site.MaxGoals)
	}
	firstUse := map[string]int{}
	for i, g := range goals {
		gpath := fmt.Sprintf("%s[%d]", path, i)
		if err := site.ValidateGoalName(g.Name); err != nil {
			ps.add(gpath+".name", "%v", err)
		} else if j, dup := firstUse[g.Name]; dup {
			ps.add(gpath+".name", "%q is already used by goals[%d]; give each goal its own name", g.Name, j)
		} else {
			firstUse[g.Name] = i
		}
		validateGoalTarget(ps, gpath, g)
		if err := site.ValidateStage(g.Stage); err != nil {
			ps.add(gpath+".stage", "%v", err)
		}
	}
}

// validateGoalTarget checks that a goal has an event or a path, not both,
// and that the one it has is well-formed.
func validateGoalTarget(ps *problems, path string, g GoalConfig) {
	switch {
	case g.Event == "" && g.Path == "":
		ps.add(path, "has neither event nor path; give one, like event: signup or path: /thank-you")
	case g.Event != "" && g.Path != "":
		ps.add(path, "has both event and path; a goal is one or the other, so make two goals")
	case g.Path != "":
		if err := site.ValidatePattern(g.Path); err != nil {
			ps.add(path+".path", "%v", err)
		}
	default:
		if err := site.ValidateGoalEvent(g.Event); err != nil {
			ps.add(path+".event", "%v", err)
		}
	}
}

// validateNetworks checks a site's excluded networks.
func validateNetworks(ps *problems, path string, nets []string) {
	if len(nets) > site.MaxNetworks {
		ps.add(path, "%d networks; at most %d are allowed", len(nets), site.MaxNetworks)
	}
	for i, n := range nets {
		if _, err := site.ParseNetwork(n); err != nil {
			ps.add(fmt.Sprintf("%s[%d]", path, i), "%v", err)
		}
	}
}

func goalOf(g GoalConfig) site.Goal {
	return site.Goal{Name: g.Name, Event: g.Event, Path: g.Path, Stage: g.Stage}
}

func goalsOf(list []GoalConfig) []site.Goal {
	out := make([]site.Goal, len(list))
	for i, g := range list {
		out[i] = goalOf(g)
	}
	return out
}

// siteEdge prepares a site's goals and excluded networks; c is valid
// (Validate ran), so errors here are a program's own Config gone wrong.
func siteEdge(s *site.Site, c SiteConfig) error {
	var err error
	if s.Goals, err = site.NewGoals(goalsOf(c.Goals)); err != nil {
		return fmt.Errorf("site %s: goals: %w", c.ID, err)
	}
	if s.Exclude, err = site.NewNetworks(c.ExcludeNetworks); err != nil {
		return fmt.Errorf("site %s: exclude_networks: %w", c.ID, err)
	}
	s.DropBots, s.FlagBots = c.Bots == "drop", c.Bots == "flag"
	return nil
}
