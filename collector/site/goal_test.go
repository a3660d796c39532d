package site

import (
	"strings"
	"testing"
)

func TestMatchPath(t *testing.T) {
	for _, tt := range []struct {
		pat, path string
		want      bool
	}{
		{"/pricing", "/pricing", true},
		{"/pricing", "/pricing/", false},
		{"/pricing", "/pricing/team", false},
		{"/pricing", "/price", false},
		{"/", "/", true},
		{"/", "/a", false},
		{"/blog/*", "/blog/hello", true},
		{"/blog/*", "/blog/hello/comments", false},
		{"/blog/*", "/blog", false},
		{"/blog/*/comments", "/blog/hello/comments", true},
		{"/blog/*/comments", "/blog/hello/likes", false},
		{"/docs/*.pdf", "/docs/guide.pdf", true},
		{"/docs/*.pdf", "/docs/guide.html", false},
		{"/p/*-*", "/p/red-shoe", true},
		{"/p/*-*", "/p/redshoe", false},
		{"/docs/**", "/docs", true},
		{"/docs/**", "/docs/", true},
		{"/docs/**", "/docs/a/b/c", true},
		{"/docs/**", "/documents", false},
		{"/**", "/anything/at/all", true},
		{"/thank-you", "/thank-you?order=1#top", true},
	} {
		var g Goals
		g, err := NewGoals([]Goal{{Name: "g", Path: tt.pat}})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := g.Match("pageview", nil, []byte(tt.path))
		if (string(got) == "g") != tt.want {
			t.Errorf("%s ~ %s = %v, want %v", tt.pat, tt.path, string(got) == "g", tt.want)
		}
	}
}

func TestMatchGoals(t *testing.T) {
	g, err := NewGoals([]Goal{
		{Name: "pricing seen", Path: "/pricing", Stage: "consideration"},
		{Name: "any doc", Path: "/docs/**", Stage: "awareness"},
		{Name: "guide", Path: "/docs/guide"}, // shadowed by the goal above
		{Name: "signed up", Event: "signup", Stage: "conversion"},
		{Name: "downloaded", Event: "download"},
		{Name: "contact form", Event: "form", Stage: "conversion"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ kind, name, path, goal, stage string }{
		{"pageview", "", "/pricing", "pricing seen", "consideration"},
		{"pageview", "", "/docs/guide", "any doc", "awareness"},
		{"pageview", "", "/about", "", ""},
		{"custom", "signup", "/pricing", "signed up", "conversion"},
		{"custom", "signup2", "/pricing", "", ""},
		{"download", "", "/docs/guide", "downloaded", ""},
		{"form", "", "/contact", "contact form", "conversion"},
		{"outbound", "", "/pricing", "", ""},
		{"custom", "download", "/", "", ""}, // a custom event named download is not the download type
	} {
		goal, stage := g.Match(tt.kind, []byte(tt.name), []byte(tt.path))
		if string(goal) != tt.goal || string(stage) != tt.stage {
			t.Errorf("%s %q %s: %q %q, want %q %q", tt.kind, tt.name, tt.path, goal, stage, tt.goal, tt.stage)
		}
	}
	var none Goals
	if goal, _ := none.Match("pageview", nil, []byte("/")); goal != nil {
		t.Errorf("no goals matched %q", goal)
	}
}

func TestValidateGoal(t *testing.T) {
	for _, tt := range []struct {
		goal Goal
		want string // part of the error; "" for none
	}{
		{Goal{Name: "ok", Path: "/a/*/b/**", Stage: "conversion"}, ""},
		{Goal{Name: "ok", Event: "signup", Stage: "stage_2-b"}, ""},
		{Goal{Name: "", Event: "signup"}, "name is empty"},
		{Goal{Name: strings.Repeat("n", 65), Event: "x"}, "longer than 64"},
		{Goal{Name: "tab\there", Event: "x"}, "control character"},
		{Goal{Name: "x"}, "neither event nor path"},
		{Goal{Name: "x", Event: "a", Path: "/a"}, "both event and path"},
		{Goal{Name: "x", Path: "pricing"}, "must start with /"},
		{Goal{Name: "x", Path: "/a?b=1"}, "may not contain ?"},
		{Goal{Name: "x", Path: "/a/**/b"}, "** may only be the whole last segment"},
		{Goal{Name: "x", Path: "/a**"}, "** may only be"},
		{Goal{Name: "x", Event: "pageview"}, "give a path"},
		{Goal{Name: "x", Event: strings.Repeat("e", 65)}, "longest event name"},
		{Goal{Name: "x", Event: "a", Stage: "Conversion"}, "not a short label"},
		{Goal{Name: "x", Event: "a", Stage: "2nd"}, "not a short label"},
		{Goal{Name: "x", Event: "a", Stage: strings.Repeat("s", 33)}, "longer than 32"},
	} {
		err := ValidateGoal(tt.goal)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%+v: %v", tt.goal, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%+v: error %v, want one saying %q", tt.goal, err, tt.want)
		}
	}
}

func TestNewGoalsListsEveryProblem(t *testing.T) {
	_, err := NewGoals([]Goal{{Name: "a", Event: "x"}, {Name: "", Path: "nope"}, {Name: "c"}})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"goal 1: name is empty", `path "nope" must start with /`, "goal 2:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
