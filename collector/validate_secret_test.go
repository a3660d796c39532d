package collector

import (
	"strings"
	"testing"
)

func TestValidateSecret(t *testing.T) {
	for _, tc := range []struct {
		secret, want string
	}{
		{"", ""},
		{strings.Repeat("a1", 16), ""},
		{"short-secret-123", "sites[0].secret: the secret is 16 characters long; use at least 32"},
		{strings.Repeat("a1", 16) + " x", "sites[0].secret: the secret has a space"},
		{strings.Repeat("é", 32), "sites[0].secret: the secret has a space, a control or a non-ASCII character"},
	} {
		cfg, _ := testConfig(t)
		cfg.Sites[0].Secret = tc.secret
		err := cfg.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("secret %q: %v", tc.secret, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("secret %q: %v, want %q", tc.secret, err, tc.want)
		case err != nil && tc.secret != "" && strings.Contains(err.Error(), tc.secret):
			t.Errorf("the message quotes the secret: %v", err)
		}
	}
}

func TestLoadConfigSecret(t *testing.T) {
	cfg, err := parseConfig([]byte("sites:\n  - id: example.com\n    origins: [https://example.com]\n    secret: " + strings.Repeat("x9", 20) + "\n"))
	if err != nil || cfg.Sites[0].Secret != strings.Repeat("x9", 20) {
		t.Fatalf("%+v, %v", cfg.Sites, err)
	}
}

func TestConfigErrorsHideSecrets(t *testing.T) {
	secret := strings.Repeat("ab", 20)
	for _, doc := range []string{
		"sites:\n  - id: example.com\n    secret: " + secret + "\n    originz: [https://example.com]\n",
		"sites:\n  - id: example.com\n    secret: [" + secret + "\n",
	} {
		_, err := parseConfig([]byte(doc))
		if err == nil || strings.Contains(err.Error(), secret[:16]) || !strings.Contains(err.Error(), "secret: [redacted]") {
			t.Errorf("error %v: want the secret's line redacted", err)
		}
	}
}
