package core

import "testing"

func TestPathOf(t *testing.T) {
	for href, want := range map[string]string{
		"https://example.com/pricing?plan=pro#faq": "/pricing",
		"https://example.com":                      "/",
		"https://example.com?q=1":                  "/",
		"https://example.com#/spa/route":           "/",
		"https://example.com/a/b/":                 "/a/b/",
		"https://user@example.com:8443/x//y":       "/x//y",
		"http://localhost:8080/index.html#top":     "/index.html",
		"https://example.com/%E2%82%AC":            "/%E2%82%AC",
		"https://example.com/a?next=http://b/c":    "/a",
		"file:///home/me/page.html":                "/home/me/page.html",
		"//example.com/relative":                   "/relative",
		"/already/a/path?x":                        "/already/a/path",
		"about:blank":                              "/",
		"not a url":                                "/",
		"?":                                        "/",
	} {
		if got := string(pathOf([]byte(href))); got != want {
			t.Errorf("pathOf(%q) = %q, want %q", href, got, want)
		}
	}
}

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
