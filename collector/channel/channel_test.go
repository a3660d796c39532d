package channel

import "testing"

func classifier(t testing.TB) *Classifier {
	t.Helper()
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var own = [][]byte{[]byte("example.com"), []byte("www.example.com:8443")}

func TestReferrers(t *testing.T) {
	c := classifier(t)
	for _, tt := range []struct{ referrer, channel, source string }{
		{"", Direct, ""},
		{"https://example.com/pricing", Internal, ""},
		{"https://WWW.Example.com:8443/a?b", Internal, ""},
		{"https://shop.example.com/", Referral, "shop.example.com"},
		{"https://www.google.com/", OrganicSearch, "Google"},
		{"https://www.google.co.uk/search?q=x", OrganicSearch, "Google"},
		{"https://www.google.de/", OrganicSearch, "Google"},
		{"https://www.bing.com/search?q=crumbless", OrganicSearch, "Bing"},
		{"https://duckduckgo.com/", OrganicSearch, "DuckDuckGo"},
		{"https://search.brave.com/search?q=a", OrganicSearch, "Brave Search"},
		{"https://www.ecosia.org/", OrganicSearch, "Ecosia"},
		{"https://yandex.ru/", OrganicSearch, "Yandex"},
		{"https://www.baidu.com/link?url=x", OrganicSearch, "Baidu"},
		{"https://kagi.com/search?q=x", OrganicSearch, "Kagi"},
		{"https://search.yahoo.com/", OrganicSearch, "Yahoo!"},
		{"android-app://com.google.android.googlequicksearchbox/", OrganicSearch, "Google"},
		{"https://l.facebook.com/l.php?u=x", OrganicSocial, "Facebook"},
		{"https://m.facebook.com/", OrganicSocial, "Facebook"},
		{"https://t.co/abc", OrganicSocial, "Twitter"},
		{"https://x.com/someone", OrganicSocial, "Twitter"},
		{"https://www.linkedin.com/", OrganicSocial, "LinkedIn"},
		{"https://lnkd.in/xyz", OrganicSocial, "LinkedIn"},
		{"https://news.ycombinator.com/item?id=1", OrganicSocial, "Hacker News"},
		{"https://old.reddit.com/r/golang", OrganicSocial, "Reddit"},
		{"https://l.instagram.com/", OrganicSocial, "Instagram"},
		{"https://bsky.app/profile/x", OrganicSocial, "Bluesky"},
		{"https://www.threads.net/@x", OrganicSocial, "Threads"},
		{"https://www.tiktok.com/", OrganicSocial, "TikTok"},
		{"https://www.youtube.com/watch?v=1", Video, "YouTube"},
		{"https://m.youtube.com/", Video, "YouTube"},
		{"https://youtu.be/x", Video, "YouTube"},
		{"https://vimeo.com/1", Video, "Vimeo"},
		{"https://www.twitch.tv/x", Video, "Twitch"},
		{"https://mail.google.com/", Email, "Gmail"},
		{"https://outlook.live.com/mail/0/", Email, "Outlook.com"},
		{"android-app://com.google.android.gm/", Email, "Gmail"},
		{"https://chatgpt.com/", AIAssistant, "ChatGPT"},
		{"https://chat.openai.com/c/1", AIAssistant, "ChatGPT"},
		{"https://www.perplexity.ai/search/x", AIAssistant, "Perplexity"},
		{"https://claude.ai/chat/1", AIAssistant, "Claude"},
		{"https://gemini.google.com/app", AIAssistant, "Gemini"},
		{"https://copilot.microsoft.com/", AIAssistant, "Copilot"},
		{"https://chat.deepseek.com/", AIAssistant, "DeepSeek"},
		{"https://en.wikipedia.org/wiki/Web_analytics", Referral, "Wikipedia"},
		{"https://github.com/crumbless/crumbless", OrganicSocial, "GitHub"},
		{"https://blog.someone.dev/post", Referral, "blog.someone.dev"},
		{"https://user:pw@blog.someone.dev:8080/x", Referral, "blog.someone.dev"},
		{"not a url", Direct, ""},
	} {
		got := c.Classify(&Input{Referrer: []byte(tt.referrer), Own: own})
		if got.Channel != tt.channel || string(got.Source) != tt.source {
			t.Errorf("%q: %s %q, want %s %q", tt.referrer, got.Channel, got.Source, tt.channel, tt.source)
		}
	}
}

func TestCampaigns(t *testing.T) {
	c := classifier(t)
	for _, tt := range []struct{ source, medium, campaign, click, referrer, channel, wantSource string }{
		{"google", "cpc", "", "", "", PaidSearch, "google"},
		{"bing", "ppc", "", "", "", PaidSearch, "bing"},
		{"", "cpc", "", "", "https://www.google.com/", PaidSearch, "Google"},
		{"facebook", "paid_social", "", "", "", PaidSocial, "facebook"},
		{"fb", "cpc", "", "", "", PaidSocial, "fb"},
		{"linkedin", "paid", "", "", "", PaidSocial, "linkedin"},
		{"youtube", "cpv", "", "", "", Video, "youtube"},
		{"dv360", "display", "", "", "", Display, "dv360"},
		{"network", "banner", "", "", "", Display, "network"},
		{"partner", "cpa", "", "", "", PaidOther, "partner"},
		{"criteo", "retargeting", "", "", "", PaidOther, "criteo"},
		{"chatgpt.com", "", "", "", "", AIAssistant, "chatgpt.com"},
		{"chatgpt.com", "referral", "", "", "", AIAssistant, "chatgpt.com"},
		{"perplexity", "", "", "", "", AIAssistant, "perplexity"},
		{"twitter", "social", "", "", "", OrganicSocial, "twitter"},
		{"mastodon", "social-network", "", "", "", OrganicSocial, "mastodon"},
		{"club", "sm", "", "", "", OrganicSocial, "club"},
		{"Facebook", "", "", "", "", OrganicSocial, "Facebook"},
		{"partner", "video", "", "", "", Video, "partner"},
		{"vimeo", "", "", "", "", Video, "vimeo"},
		{"google", "organic", "", "", "", OrganicSearch, "google"},
		{"duckduckgo.com", "", "", "", "", OrganicSearch, "duckduckgo.com"},
		{"newsletter", "email", "", "", "", Email, "newsletter"},
		{"newsletter", "", "", "", "", Email, "newsletter"},
		{"Email", "", "", "", "", Email, "Email"},
		{"crm", "e-mail", "", "", "", Email, "crm"},
		{"partner", "affiliate", "", "", "", Affiliate, "partner"},
		{"twilio", "sms", "", "", "", SMS, "twilio"},
		{"sms", "", "", "", "", SMS, "sms"},
		{"blog", "referral", "", "", "", Referral, "blog"},
		{"someone", "", "", "", "", Unassigned, "someone"},
		{"", "", "spring", "", "https://blog.someone.dev/", Unassigned, "blog.someone.dev"},
		{"", "", "spring", "", "", Unassigned, ""},
	} {
		in := Input{UTMSource: []byte(tt.source), UTMMedium: []byte(tt.medium), UTMCampaign: []byte(tt.campaign),
			Click: []byte(tt.click), Referrer: []byte(tt.referrer), Own: own}
		got := c.Classify(&in)
		if got.Channel != tt.channel || string(got.Source) != tt.wantSource {
			t.Errorf("source %q medium %q: %s %q, want %s %q", tt.source, tt.medium, got.Channel, got.Source, tt.channel, tt.wantSource)
		}
	}
}

func TestClickParameters(t *testing.T) {
	c := classifier(t)
	for _, tt := range []struct{ click, utmSource, medium, referrer, channel, source string }{
		{"gclid", "", "", "https://www.google.com/", PaidSearch, "Google"},
		{"gclid", "", "", "", PaidSearch, "Google"},
		{"gclid", "spring", "email", "", PaidSearch, "spring"}, // auto-tagging wins, as in GA4
		{"wbraid", "", "", "", PaidSearch, "Google"},
		{"msclkid", "", "", "https://www.bing.com/", PaidSearch, "Bing"},
		{"dclid", "", "", "", Display, "Google"},
		{"ttclid", "", "", "", PaidSocial, "TikTok"},
		{"li_fat_id", "", "", "", PaidSocial, "LinkedIn"},
		{"fbclid", "", "", "", OrganicSocial, "Facebook"},
		{"fbclid", "", "", "https://l.facebook.com/", OrganicSocial, "Facebook"},
		{"fbclid", "", "paid", "", PaidSocial, "Facebook"},
		{"unknown_id", "", "", "https://www.google.com/", OrganicSearch, "Google"},
	} {
		in := Input{Click: []byte(tt.click), UTMSource: []byte(tt.utmSource), UTMMedium: []byte(tt.medium), Referrer: []byte(tt.referrer)}
		got := c.Classify(&in)
		if got.Channel != tt.channel || string(got.Source) != tt.source {
			t.Errorf("%s %q %q %q: %s %q, want %s %q", tt.click, tt.utmSource, tt.medium, tt.referrer, got.Channel, got.Source, tt.channel, tt.source)
		}
	}
}

func TestNewRefusesBadData(t *testing.T) {
	for name, in := range map[string][2]string{
		"not JSON":       {"[", ""},
		"unknown medium": {`{"a.example":{"source":"A","medium":"carrier-pigeon"}}`, ""},
		"short line":     {"{}", "search onlyhost"},
		"unknown kind":   {"{}", "radio a.example A"},
	} {
		if _, err := New([]byte(in[0]), []byte(in[1])); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
