package gpp

import (
	"github.com/crumbless/crumbless/consent/internal/bitstr"

	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/crumbless/crumbless/consent/tcf"
)

const tcfCPXx = "CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA"

func ids(g *String) []int {
	out := make([]int, len(g.Sections))
	for i, s := range g.Sections {
		out[i] = s.ID
	}
	return out
}

func TestDecodeHeaderAndSections(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ids  []int
		raws []string
	}{
		// Source: IABTechLab/iabgpp-es modules/cmpapi/test/encoder/section/HeaderV1.test.ts
		// ("should decode DBAA to section ids []").
		{"header only", "DBAA", []int{}, nil},
		// Source: prebid/go-gpp parse_test.go ("GPP string with EU TCF V2").
		{"tcfeuv2", "DBABMA~" + tcfCPXx, []int{2}, []string{tcfCPXx}},
		// Source: prebid/go-gpp parse_test.go ("GPP string with EU TCF v2 and
		// US Privacy"); header DBACNYA as in iabgpp-es HeaderV1.test.ts.
		{"tcfeuv2 and uspv1", "DBACNYA~" + tcfCPXx + "~1YNN", []int{2, 6}, []string{tcfCPXx, "1YNN"}},
		// Source: consent.md §4.2.1 (GPP spec): DBACNY and DBACNYA both
		// decode to [2,6] (trailing zero bits ignored).
		{"unpadded header", "DBACNY~" + tcfCPXx + "~1YNN", []int{2, 6}, []string{tcfCPXx, "1YNN"}},
		// Source: prebid/go-gpp parse_test.go ("GPP string with Canadian TCF
		// and US Privacy"): section 5 kept raw.
		{"tcfcav1 raw", "DBABjw~" + tcfCPXx + "~1YNN", []int{5, 6}, []string{tcfCPXx, "1YNN"}},
		// Source: prebid/go-gpp parse_test.go ("GPP string with USPCA",
		// "GPP string with USPVA"): state sections kept raw.
		{"usca raw", "DBABBgA~xlgWEYCZAA", []int{8}, []string{"xlgWEYCZAA"}},
		{"usva raw", "DBABRgA~bSFgmiU", []int{9}, []string{"bSFgmiU"}},
		// Source: LiveRamp/iabconsent gpp_parsed_consent_fixture_test.go
		// (commented-out gppParsedConsentFixtures entries): [6,7] as a group,
		// [7,9], and [7..12] as a group.
		{"uspv1 and usnat", "DBABzw~1YNN~BVVqAAEABCA.QA", []int{6, 7}, []string{"1YNN", "BVVqAAEABCA.QA"}},
		{"usnat and usva", "DBACLMA~BVVqAAEABCA~BVoYYYI", []int{7, 9}, []string{"BVVqAAEABCA", "BVoYYYI"}},
		{"six US sections", "DBABrGA~BVVqAAEABCA~BVoYYZoI~BVoYYYI~BVoYYQg~BVaGGGCA~BVoYYYQg", []int{7, 8, 9, 10, 11, 12},
			[]string{"BVVqAAEABCA", "BVoYYZoI", "BVoYYYI", "BVoYYQg", "BVaGGGCA", "BVoYYYQg"}},
		// Source: LiveRamp/iabconsent gpp_parsed_consent_fixture_test.go
		// (tcfeuParsedConsentFixtures): a TC string with a publisher segment.
		{"tcfeuv2 with segments", "DBABMA~CPzyhEAPzyhEAEXdtAENDXCwAP_AAH_AACiQI9AB4C5EQCFDcHJNAIoUAAQDQIhAAAAgAAABgYAACBoAAIwAAAAwAAAAAAoCAAAAIABAAAEAAAAAAAEAAAAAAAEAAEAAAAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAiAAAAAIAEEAAAAACAAEAAAAAABAAAgAAAAAAAAAAAAAIAAAAAAAAAAAAAAAAAAAAAQQUgSAALAAqABcADIAHAAQAAkABkADQAHIAPAAfQBEAEUAJgATwApABfADMAGgAPwAhIBlAGWAOeAdwB3gEDgIOAhABFgCngF1AXmAyYBlgDPgGqgP3AgoAAAAA.YAAAAAAAAAAA",
			[]int{2}, []string{"CPzyhEAPzyhEAEXdtAENDXCwAP_AAH_AACiQI9AB4C5EQCFDcHJNAIoUAAQDQIhAAAAgAAABgYAACBoAAIwAAAAwAAAAAAoCAAAAIABAAAEAAAAAAAEAAAAAAAEAAEAAAAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAiAAAAAIAEEAAAAACAAEAAAAAABAAAgAAAAAAAAAAAAAIAAAAAAAAAAAAAAAAAAAAAQQUgSAALAAqABcADIAHAAQAAkABkADQAHIAPAAfQBEAEUAJgATwApABfADMAGgAPwAhIBlAGWAOeAdwB3gEDgIOAhABFgCngF1AXmAyYBlgDPgGqgP3AgoAAAAA.YAAAAAAAAAAA"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := Decode(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if g.Version != 1 {
				t.Errorf("Version = %d", g.Version)
			}
			if got := ids(g); !slices.Equal(got, tt.ids) {
				t.Errorf("ids = %v, want %v", got, tt.ids)
			}
			for i, raw := range tt.raws {
				if g.Sections[i].Raw != raw {
					t.Errorf("section %d raw = %q, want %q", i, g.Sections[i].Raw, raw)
				}
			}
			if g.Has(SectionTCFEUv2) {
				if g.TCFEUv2 != tt.raws[0] {
					t.Errorf("TCFEUv2 = %q", g.TCFEUv2)
				}
				if _, err := tcf.Decode(g.TCFEUv2); err != nil {
					t.Errorf("tcf.Decode(TCFEUv2) = %v", err)
				}
			} else if g.TCFEUv2 != "" {
				t.Errorf("TCFEUv2 = %q without section 2", g.TCFEUv2)
			}
		})
	}
}

func TestDecodeUSNat(t *testing.T) {
	type want struct {
		version                        uint8
		notices                        [6]uint8 // Sharing, Sale, SharingOptOut, TargetedAdv, SensitiveProcessing, SensitiveLimitUse
		optOuts                        [3]uint8 // Sale, Sharing, TargetedAdvertising
		sdp                            []uint8
		kcs                            []uint8
		pdc, mct, moom, mspm           uint8
		gpcIncluded, gpc, usOptOutFlag bool
	}
	rep := func(v uint8, n int) []uint8 {
		out := make([]uint8, n)
		for i := range out {
			out[i] = v
		}
		return out
	}
	sdp7 := rep(0, 12)
	sdp7[7] = NoConsent
	tests := []struct {
		name string
		in   string
		want want
	}{
		// Source: LiveRamp/iabconsent mspa_parsed_consent_fixture_test.go
		// (UsNational "usnat without false GPC subsection" / "with true GPC").
		{"iabconsent v1 GPC false", "BVVqAAEABCA.QA", want{1, [6]uint8{1, 1, 1, 1, 1, 1}, [3]uint8{2, 2, 2}, sdp7, []uint8{0, 0}, NoConsent, 0, 0, 2, true, false, false}},
		{"iabconsent v1 GPC true", "BVVqAAEABCA.YA", want{1, [6]uint8{1, 1, 1, 1, 1, 1}, [3]uint8{2, 2, 2}, sdp7, []uint8{0, 0}, NoConsent, 0, 0, 2, true, true, true}},
		// Source: LiveRamp/iabconsent mspa_parsed_consent_fixture_test.go
		// ("usnat without subsection").
		{"iabconsent v1 no subsection", "BqqAqqqqqqA", want{1, [6]uint8{2, 2, 2, 2, 2, 2}, [3]uint8{0, 0, 0}, rep(2, 12), []uint8{2, 2}, 2, 2, 2, 2, false, false, false}},
		// Source: IABTechLab/iabgpp-es modules/cmpapi/test/encoder/section/UsNat.test.ts
		// ("should decode BVVVkkkklWA.YA", "should decode BqqqqqqqqqA",
		// "should decode CVVVkkkkkpFY.YA", "should decode CVVVkkkkkpFY",
		// "should encode default to CAAAAAAAAABA.QA").
		{"iabgpp-es v1 opted out, GPC", "BVVVkkkklWA.YA", want{1, [6]uint8{1, 1, 1, 1, 1, 1}, [3]uint8{1, 1, 1}, []uint8{2, 1, 0, 2, 1, 0, 2, 1, 0, 2, 1, 0}, []uint8{2, 1}, 1, 1, 1, 2, true, true, true}},
		{"iabgpp-es v1 all 2", "BqqqqqqqqqA", want{1, [6]uint8{2, 2, 2, 2, 2, 2}, [3]uint8{2, 2, 2}, rep(2, 12), []uint8{2, 2}, 2, 2, 2, 2, false, false, false}},
		{"iabgpp-es v2 GPC", "CVVVkkkkkpFY.YA", want{2, [6]uint8{1, 1, 1, 1, 1, 1}, [3]uint8{1, 1, 1}, []uint8{2, 1, 0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2}, []uint8{2, 1, 0}, 1, 1, 1, 2, true, true, true}},
		{"iabgpp-es v2 no GPC", "CVVVkkkkkpFY", want{2, [6]uint8{1, 1, 1, 1, 1, 1}, [3]uint8{1, 1, 1}, []uint8{2, 1, 0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2}, []uint8{2, 1, 0}, 1, 1, 1, 2, false, false, true}},
		{"iabgpp-es v2 default", "CAAAAAAAAABA.QA", want{2, [6]uint8{}, [3]uint8{}, rep(0, 16), []uint8{0, 0, 0}, 0, 1, 0, 0, true, false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, in := range []string{"DBABLA~" + tt.in} {
				g, err := Decode(in)
				if err != nil {
					t.Fatal(err)
				}
				u := g.USNat
				if u == nil {
					t.Fatal("no usnat section")
				}
				w := tt.want
				if u.Version != w.version {
					t.Errorf("Version = %d", u.Version)
				}
				if got := [6]uint8{u.SharingNotice, u.SaleOptOutNotice, u.SharingOptOutNotice, u.TargetedAdvertisingOptOutNotice,
					u.SensitiveDataProcessingOptOutNotice, u.SensitiveDataLimitUseNotice}; got != w.notices {
					t.Errorf("notices = %v, want %v", got, w.notices)
				}
				if got := [3]uint8{u.SaleOptOut, u.SharingOptOut, u.TargetedAdvertisingOptOut}; got != w.optOuts {
					t.Errorf("opt-outs = %v, want %v", got, w.optOuts)
				}
				if got := u.SensitiveDataProcessing[:u.NumSensitiveDataProcessing]; !slices.Equal(got, w.sdp) {
					t.Errorf("SensitiveDataProcessing = %v, want %v", got, w.sdp)
				}
				if got := u.KnownChildSensitiveDataConsents[:u.NumKnownChildSensitiveDataConsents]; !slices.Equal(got, w.kcs) {
					t.Errorf("KnownChildSensitiveDataConsents = %v, want %v", got, w.kcs)
				}
				if got := [4]uint8{u.PersonalDataConsents, u.MspaCoveredTransaction, u.MspaOptOutOptionMode, u.MspaServiceProviderMode}; got != [4]uint8{w.pdc, w.mct, w.moom, w.mspm} {
					t.Errorf("PDC/MSPA = %v", got)
				}
				if u.GPCSegmentIncluded != w.gpcIncluded || u.GPC != w.gpc {
					t.Errorf("GPC = %v/%v, want %v/%v", u.GPCSegmentIncluded, u.GPC, w.gpcIncluded, w.gpc)
				}
				if g.USOptOut() != w.usOptOutFlag {
					t.Errorf("USOptOut = %v", g.USOptOut())
				}
			}
		})
	}
}

func TestUSPv1(t *testing.T) {
	tests := []struct {
		in       string
		fields   string
		optedOut bool
	}{
		// Source: LiveRamp/iabconsent gpp_parsed_consent_fixture_test.go
		// (ccpaParsedConsentFixtures).
		{"DBABTA~1---", "---", false},
		{"DBABTA~1YYY", "YYY", true},
		{"DBABTA~1NYN", "NYN", true},
		{"DBABTA~1NNN", "NNN", false},
		// Source: prebid/go-gpp parse_test.go (1YNN in a multi-section string).
		{"DBACNYA~" + tcfCPXx + "~1YNN", "YNN", false},
		{"DBABTA~1yyn", "YYN", true},
	}
	for _, tt := range tests {
		g, err := Decode(tt.in)
		if err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		u := g.USPv1
		if u == nil || u.Version != '1' || string([]byte{u.Notice, u.OptOutSale, u.LSPACovered}) != tt.fields {
			t.Errorf("%s: USPv1 = %+v", tt.in, u)
		}
		if g.USOptOut() != tt.optedOut {
			t.Errorf("%s: USOptOut = %v", tt.in, g.USOptOut())
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct{ name, in, reason string }{
		{"empty", "", ReasonEmpty},
		{"too long", "DBABLA~" + strings.Repeat("A", MaxLen), ReasonTooLong},
		{"long header", strings.Repeat("D", 400), ReasonTooLong},
		{"bad base64 header", "DB!A", ReasonBase64},
		{"TC string, not GPP", tcfCPXx, ReasonType},
		{"header version 2", "DCAA", ReasonVersion},
		{"truncated header", "DB", ReasonTruncated},
		{"ID without section", "DBABMA", ReasonSectionCount},
		{"section without ID", "DBAA~1YNN", ReasonSectionCount},
		{"two IDs one section", "DBACNYA~" + tcfCPXx, ReasonSectionCount},
		{"unterminated Fibonacci", "DBABAA~1YNN", ReasonFibonacci},
		{"huge group", hdr("1"+"11"+strings.Repeat("0", 25)+"11") + "~x", ReasonSectionID},
		{"overlong Fibonacci", hdr("0"+strings.Repeat("0", 40)+"11") + "~x", ReasonFibonacci},
		{"group longer than sections", hdr("1"+"11"+"00011") + "~x~y", ReasonSectionCount},
		{"usnat version 3", "DBABLA~DVVqAAEABCA", ReasonUSNatVersion},
		// Source: prebid/go-gpp sections/uspnat/uspnat_test.go: its vector
		// has section Version 3, which is neither usnat v1 nor v2.
		{"prebid usnat version 3", "DBABLA~DSJgmkoZJSY", ReasonUSNatVersion},
		{"usnat truncated", "DBABLA~BVVqAAEA", ReasonTruncated},
		{"usnat v2 truncated", "DBABLA~CVVVkkkkkp", ReasonTruncated},
		{"usnat bad base64", "DBABLA~BVVq*AEABCA", ReasonBase64},
		{"usnat empty", "DBABLA~", ReasonTruncated},
		{"usnat GPC empty", "DBABLA~BVVqAAEABCA.", ReasonTruncated},
		{"usnat GPC twice", "DBABLA~BVVqAAEABCA.QA.YA", ReasonUSNat},
		{"uspv1 version 2", "DBABTA~2YNN", ReasonUSPv1},
		{"uspv1 bad field", "DBABTA~1YXN", ReasonUSPv1},
		{"uspv1 short", "DBABTA~1YN", ReasonUSPv1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := Decode(tt.in)
			var e *Error
			if !errors.As(err, &e) || e.Reason != tt.reason {
				t.Fatalf("err = %v, want %s", err, tt.reason)
			}
			if g != nil {
				t.Error("non-nil result with an error")
			}
		})
	}
}

// hdr builds a GPP header (type 3, version 1, one range item) from the
// item's bits (test-only encoder).
func hdr(item string) string {
	return bitstr.EncodeBits("000011" + "000001" + "000000000001" + item)
}

func BenchmarkDecode(b *testing.B) {
	const s = "DBACNYA~" + tcfCPXx + "~1YNN"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(s); err != nil {
			b.Fatal(err)
		}
	}
}
