package scrub

import (
	"bytes"
	"testing"
)

const jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"

func TestAppendScrubs(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// e-mail addresses
		{"/users/jane.doe@example.com/orders", "/users/[email]/orders"},
		{"/users/jane.doe%40example.com/orders", "/users/[email]/orders"},
		{"/unsubscribe?email=jane%2Bnews%40mail.example.co.uk&list=7", "/unsubscribe?email=[email]&list=7"},
		{"/search?q=john_smith-99@gmail.com", "/search?q=[email]"},
		{"Welcome back, jane@example.com!", "Welcome back, [email]!"},
		{"mailto:sales@shop.example.de", "mailto:[email]"},
		{"Write to <Max.Mustermann@firma.de>.", "Write to <[email]>."},
		{"a.b@c.io, x@y.org", "[email], [email]"},
		{"/@jane@mastodon.social", "/@[email]"},
		{"/users/jane@example.com.1234567890ab1234567890ab1234567890ab", "/users/[email].[token]"},
		// tokens
		{"/reset/" + jwt, "/reset/[token]"},
		{"/reset/" + jwt + "?step=2", "/reset/[token]?step=2"},
		{"/auth/callback?token=eyJhbGciOiJSUzI1NiJ9&state=ok", "/auth/callback?token=[token]&state=ok"},
		{"/confirm?token=8f3kQ29xLmZp7RtA0cVbN4sWqY1uE6hD&next=/", "/confirm?token=[token]&next=/"},
		{"/verify/ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12", "/verify/[token]"},
		{"/files/d41d8cd98f00b204e9800998ecf8427e.pdf", "/files/[token].pdf"},
		{"/files/deadbeefdeadbeefdeadbeefdeadbeef", "/files/[token]"},
		{"sk_live_4eC39HqLyjWDarjtT1zdp7dc0123456789", "[token]"},
		{"/orders/550e8400-e29b-41d4-a716-446655440000", "/orders/[token]"},
		{"api_key=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg-_x", "api_key=[token]"},
		{"/callback#access_token=ya29.a0AfH6SMBx3kq9Lw7ZpQ2rT8vY1nC4dE6fG0hJ&token_type=Bearer", "/callback#access_token=ya29.[token]&token_type=Bearer"},
		{"/checkout/cs_test_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0", "/checkout/[token]"},
		{"Authorization failed for ghp_16C7e42F292c6912E7710c838347Ae178B4a", "Authorization failed for [token]"},
		{"https://news.example/?ref=jane.doe@example.com", "https://news.example/?ref=[email]"},
		// payment cards
		{"/pay?card=4111111111111111&cvc=123", "/pay?card=[card]&cvc=123"},
		{"card 4111 1111 1111 1111 exp 12/27", "card [card] exp 12/27"},
		{"4111-1111-1111-1111", "[card]"},
		{"amex 3782 822463 10005.", "amex [card]."},
		{"mc 5555555555554444, visa 4012888888881881", "mc [card], visa [card]"},
		{"4111 1111 1111 1111 2024", "[card] 2024"},
		{"6011111111111117", "[card]"},
	} {
		if got := string(Append(nil, []byte(tc.in))); got != tc.want {
			t.Errorf("Append(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestAppendKeepsOrdinaryText(t *testing.T) {
	for _, in := range []string{
		"",
		"/",
		"/blog/how-to-configure-nginx-in-2024-for-beginners-step-by-step",
		"/blog/top-10-tips-for-2024-marketing-campaigns-that-convert",
		"/products/iphone-15-pro-max-256gb",
		"/orders/order-12345",
		"/docs/v1.2.3/getting-started",
		"/releases/2024-01-15/notes",
		"Pricing: $1,299.99 per year (save 20%)",
		"Meeting on 2024-01-15 at 12:30 UTC",
		"Call us: +44 20 7946 0958",
		"ISBN 978-3-16-148410-0",
		"?utm_source=newsletter&utm_medium=email&utm_campaign=spring_sale_2024",
		"/cache?_=1700000000000",
		"/cache?ts=1700000000123",
		"4111111111111112",     // not Luhn-valid
		"1234567890123456",     // first digit of no card network
		"41111111111111111111", // 20 digits
		"x4111111111111111",    // inside a word
		"Pneumonoultramicroscopicsilicovolcanoconiosis",
		"ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ",
		"abcdefghijklmno_4111111111111112",
		"user@localhost",
		"@handle and @other",
		"a@b.cc", // shorter than its placeholder
		"jane@example.c0m",
		"/users/@jane/posts",
		"eyJ short",
		"50% off, 100%40 gifts",
		"Grüße aus München — 10 € 🎉",
		"[email] [token] [card]",
	} {
		if got := string(Append(nil, []byte(in))); got != in {
			t.Errorf("Append(%q) = %q, want it unchanged", in, got)
		}
	}
}

func TestAppendKeepsPrefix(t *testing.T) {
	for _, in := range []string{"jane@example.com", "x 4111111111111111", "/reset/" + jwt, "plain"} {
		got := Append([]byte("title=jane"), []byte(in))
		want := "title=jane" + string(Append(nil, []byte(in)))
		if string(got) != want {
			t.Errorf("Append(prefix, %q) = %q, want %q", in, got, want)
		}
	}
}

func TestAppendAllocs(t *testing.T) {
	src := []byte("/users/jane.doe@example.com/reset/" + jwt + "?card=4111 1111 1111 1111&q=order-12345")
	dst := make([]byte, 0, len(src))
	if n := testing.AllocsPerRun(100, func() { dst = Append(dst[:0], src) }); n != 0 {
		t.Errorf("Append: %v allocations per run, want 0", n)
	}
	if !bytes.Contains(dst, []byte("[email]")) {
		t.Errorf("Append: %q", dst)
	}
}

// TestPlain checks that ordinary text is plain and that every shape
// Append replaces is not.
func TestPlain(t *testing.T) {
	for _, s := range []string{"", "/pricing", "Pricing - Shop", "/blog/2026/11/how-to-measure-without-cookies",
		"https://www.example.com/a?b=c#d", "Caf\u00e9 \u65e5\u672c", "order 1234 5678 9012", "a%20b", "/docs/getting-started/install"} {
		if !Plain([]byte(s)) {
			t.Errorf("Plain(%q) = false", s)
		}
		if got := Append(nil, []byte(s)); string(got) != s {
			t.Errorf("Append(%q) = %q", s, got)
		}
	}
	for _, s := range []string{"a@b.co", "a%40b.com", "eyJhbGciOiJ9", "4111 1111 1111 1111", "4111-1111-1111-1111",
		"0123456789abcdef0123456789abcdef", "x-a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"} {
		if Plain([]byte(s)) {
			t.Errorf("Plain(%q) = true", s)
		}
	}
}

func BenchmarkPlainTitle(b *testing.B) {
	src := []byte("Crumbless - How to measure a site without cookies, in 2026 | Blog")
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if !Plain(src) {
			b.Fatal("not plain")
		}
	}
}

func BenchmarkAppendTitle(b *testing.B) {
	src := []byte("Crumbless - How to measure a site without cookies, in 2026 | Blog")
	b.SetBytes(int64(len(src)))
	dst := make([]byte, 0, 256)
	for b.Loop() {
		dst = Append(dst[:0], src)
	}
}
