package collector

import "strings"

// MinSecretLen is the fewest characters a site's secret may have.
const MinSecretLen = 32

// validateSecret checks a site's secret without ever quoting it: problems
// are printed and logged.
func validateSecret(ps *problems, path, secret string) {
	if secret == "" {
		return
	}
	if len(secret) < MinSecretLen {
		ps.add(path, "the secret is %d characters long; use at least %d random ones, like the output of `openssl rand -hex 32`", len(secret), MinSecretLen)
	}
	for _, c := range []byte(secret) {
		if c < '!' || c > '~' {
			ps.add(path, "the secret has a space, a control or a non-ASCII character; use letters, digits and punctuation")
			return
		}
	}
}

// redactSecrets blanks the value of every "secret:" line of a YAML error,
// which quotes the lines around the problem: the message is printed and
// may be logged.
func redactSecrets(msg string) string {
	if !strings.Contains(msg, "secret:") {
		return msg
	}
	lines := strings.Split(msg, "\n")
	for i, l := range lines {
		if before, _, ok := strings.Cut(l, "secret:"); ok {
			lines[i] = before + "secret: [redacted]"
		}
	}
	return strings.Join(lines, "\n")
}
