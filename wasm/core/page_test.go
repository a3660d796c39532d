package core

import "testing"

func TestViewportClass(t *testing.T) {
	for width, want := range map[string]string{
		"0": "xs", "320": "xs", "575": "xs", "576": "sm", "767": "sm", "768": "md",
		"1023": "md", "1024": "lg", "1439": "lg", "1440": "xl", "3840": "xl", "999999999": "xl",
		"": "", "-1": "", "12.5": "", "1e3": "", "1000000000": "", " 800": "",
	} {
		if got := string(viewportClass([]byte(width))); got != want {
			t.Errorf("viewportClass(%q) = %q, want %q", width, got, want)
		}
	}
}
