package tcf

import (
	"github.com/crumbless/crumbless/consent/internal/bitstr"

	"errors"
	"strings"
	"testing"
)

// ms converts time.Unix(sec, ds*1e8) to milliseconds.
func ms(sec, ds int64) int64 { return sec*1000 + ds*100 }

// purposes builds a bitmask with bit i-1 set for each purpose i.
func purposes(ids ...int) uint32 {
	var m uint32
	for _, id := range ids {
		m |= 1 << (id - 1)
	}
	return m
}

// b64FromBits encodes a string of '0'/'1' as unpadded base64url.
func b64FromBits(bits string) string { return bitstr.EncodeBits(bits) }

// bitw builds a bit string field by field (test-only).
type bitw struct{ strings.Builder }

func (w *bitw) int(v uint64, n int) *bitw {
	for i := n - 1; i >= 0; i-- {
		w.WriteByte('0' + byte(v>>uint(i)&1))
	}
	return w
}

// coreFields are the fields of a constructed core segment.
type coreFields struct {
	lastUpdatedDs uint64
	policy        uint64
	iss           uint64
	liBits        string // 24 bits, purpose 1 first
	vendorSection string // vendor consent + LI + restrictions
}

func (c coreFields) encode() string {
	w := &bitw{}
	w.int(2, 6).int(c.lastUpdatedDs, 36).int(c.lastUpdatedDs, 36)
	w.int(300, 12).int(2, 12).int(1, 6)
	w.int(4, 6).int(13, 6) // "EN"
	w.int(150, 12).int(c.policy, 6).int(c.iss, 1).int(0, 1)
	w.int(0, 12)                              // special features
	w.WriteString("111000000000000000000000") // purposes 1-3 consent
	li := c.liBits
	if li == "" {
		li = strings.Repeat("0", 24)
	}
	w.WriteString(li)
	w.int(0, 1).int(3, 6).int(4, 6) // "DE"
	vs := c.vendorSection
	if vs == "" {
		// no vendor consents, no LI, no restrictions
		vs = "0000000000000000" + "0" + "0000000000000000" + "0" + "000000000000"
	}
	w.WriteString(vs)
	return b64FromBits(w.String())
}

// disclosed is a DisclosedVendors segment with vendor 1 (constructed).
var disclosed = b64FromBits("001" + "0000000000000001" + "0" + "1")

func vendorList() []int {
	return []int{2, 6, 8, 12, 18, 23, 37, 42, 47, 48, 53, 61, 65, 66, 72, 88, 98, 127, 128, 129, 133, 153, 163, 192, 205, 215, 224, 243, 248, 281, 294, 304, 350, 351, 358, 371, 422, 424, 440, 447, 467, 486, 498, 502, 512, 516, 553, 556, 571, 587, 612, 613, 618, 626, 648, 653, 656, 657, 665, 676, 681, 683, 684, 686, 687, 688, 690, 691, 694, 702, 703, 707, 708, 711, 712, 714, 716, 719, 720}
}

func checkSet(t *testing.T, name string, v *VendorSet, max int, want []int) {
	t.Helper()
	if !v.Present() {
		t.Errorf("%s: not present", name)
		return
	}
	if v.Max() != max {
		t.Errorf("%s: Max = %d, want %d", name, v.Max(), max)
	}
	in := map[int]bool{}
	for _, id := range want {
		in[id] = true
		if !v.Has(id) {
			t.Errorf("%s: missing vendor %d", name, id)
		}
	}
	if v.Len() != len(want) {
		t.Errorf("%s: Len = %d, want %d", name, v.Len(), len(want))
	}
	for id := 0; id <= max+1; id++ {
		if v.Has(id) && !in[id] {
			t.Errorf("%s: unexpected vendor %d", name, id)
		}
	}
}

func TestDecodeVectors(t *testing.T) {
	// LiveRamp/iabconsent: v2TestTime = time.Unix(1583436280, 9 ds).
	iabconsentTime := ms(1583436280, 9)

	t.Run("iabconsent range encoding, disclosed and allowed vendors", func(t *testing.T) {
		// Source: LiveRamp/iabconsent v2_parsed_consent_fixture_test.go
		// (v2ConsentFixtures, first entry).
		tc, err := Decode("COvzTO5OvzTO5B7ABCENAPCYAKdAADkAAIqIFhwBAAGAAXAFGAsMAhYAgAMAAegBYAEKAAA.IFoEUQQgAIQwgIwQABAEAAAAOIAACAIAAAAQAIAgEAACEAAAAAgAQBAAAAAAAGBAAgAAAAAAAFAAECAAAgAAQARAEQAAAAAJAAIAAgAAAYQEAAAQmAgBC3ZAYzUw.QE5QAwCvgHyATkA")
		if err != nil {
			t.Fatal(err)
		}
		if tc.Version != 2 || tc.Created != iabconsentTime || tc.LastUpdated != iabconsentTime ||
			tc.CmpID != 123 || tc.CmpVersion != 1 || tc.ConsentScreen != 2 ||
			tc.ConsentLanguage != "EN" || tc.VendorListVersion != 15 || tc.TcfPolicyVersion != 2 ||
			tc.IsServiceSpecific || !tc.UseNonStandardTexts || !tc.PurposeOneTreatment ||
			tc.PublisherCC != "FR" {
			t.Errorf("metadata: %+v", tc)
		}
		if tc.SpecialFeatureOptIns != 1 {
			t.Errorf("SpecialFeatureOptIns = %b", tc.SpecialFeatureOptIns)
		}
		if tc.PurposesConsent != purposes(1, 3, 6, 7, 8, 10) {
			t.Errorf("PurposesConsent = %b", tc.PurposesConsent)
		}
		if tc.PurposesLITransparency != purposes(3, 4, 5, 8) {
			t.Errorf("PurposesLITransparency = %b", tc.PurposesLITransparency)
		}
		checkSet(t, "consents", &tc.VendorConsents, 707, []int{12, 23, 163, 707})
		checkSet(t, "LI", &tc.VendorLegitimateInterests, 133, []int{48, 61, 88, 133})
		if len(tc.PubRestrictions) != 0 {
			t.Errorf("PubRestrictions = %v", tc.PubRestrictions)
		}
		checkSet(t, "disclosed", &tc.DisclosedVendors, 720, vendorList())
		checkSet(t, "allowed", &tc.AllowedVendors, 626, []int{351, 498, 626})
		if tc.Publisher != nil {
			t.Errorf("Publisher = %+v", tc.Publisher)
		}
	})

	t.Run("iabconsent publisher restrictions", func(t *testing.T) {
		// Source: LiveRamp/iabconsent v2_parsed_consent_fixture_test.go
		// (v2ConsentFixtures, second entry).
		tc, err := Decode("COvzTO5OvzTO5BRAAAENAPCoALIAADgAAAAAAewAwABAAlAB6ABBFADBQAQA9hAAAcAA")
		if err != nil {
			t.Fatal(err)
		}
		if tc.CmpID != 81 || tc.CmpVersion != 0 || tc.ConsentScreen != 0 || tc.ConsentLanguage != "EN" ||
			tc.TcfPolicyVersion != 2 || !tc.IsServiceSpecific || tc.UseNonStandardTexts ||
			tc.PurposeOneTreatment || tc.PublisherCC != "AA" || tc.Created != iabconsentTime {
			t.Errorf("metadata: %+v", tc)
		}
		if tc.SpecialFeatureOptIns != 1 || tc.PurposesConsent != purposes(1, 3, 4, 7) ||
			tc.PurposesLITransparency != purposes(3, 4, 5) {
			t.Errorf("purposes: %b %b %b", tc.SpecialFeatureOptIns, tc.PurposesConsent, tc.PurposesLITransparency)
		}
		checkSet(t, "consents", &tc.VendorConsents, 61, []int{2, 37, 61})
		checkSet(t, "LI", &tc.VendorLegitimateInterests, 8, []int{2, 6, 8})
		want := []PubRestriction{
			{PurposeID: 1, Type: RestrictRequireConsent, Vendors: []VendorRange{{123, 123}}},
			{PurposeID: 2, Type: RestrictNotAllowed},
			{PurposeID: 3, Type: RestrictRequireLI},
		}
		if len(tc.PubRestrictions) != len(want) {
			t.Fatalf("PubRestrictions = %+v", tc.PubRestrictions)
		}
		for i, w := range want {
			g := tc.PubRestrictions[i]
			if g.PurposeID != w.PurposeID || g.Type != w.Type || len(g.Vendors) != len(w.Vendors) ||
				(len(w.Vendors) > 0 && g.Vendors[0] != w.Vendors[0]) {
				t.Errorf("restriction %d = %+v, want %+v", i, g, w)
			}
		}
		if tc.DisclosedVendors.Present() || tc.AllowedVendors.Present() {
			t.Error("unexpected optional segments")
		}
	})

	t.Run("iabconsent bitfield encoding", func(t *testing.T) {
		// Source: LiveRamp/iabconsent v2_parsed_consent_fixture_test.go
		// (v2ConsentFixtures, third entry).
		tc, err := Decode("COvzTO5OvzTO5BZAFMENAPCgAAAAAAAAAAwIFoEUQQgAIQwgIwQABAEAAAAOIAACAIAAAAQAIAgEAACEAAAAAgAQBAAAAAAAGBAAgAAAAAAAFAAECAAAgAAQARAEQAAAAAJAAIAAgAAAYQEAAAQmAgBC3ZAYzUwLQIoghAAQhhARggACAIAAAAcQAAEAQAAAAgAQBAIAAEIAAAABAAgCAAAAAAAMCABAAAAAAAAKAAIEAABAAAgAiAIgAAAAASAAQABAAAAwgIAAAhMBACFuyAxmpgAA")
		if err != nil {
			t.Fatal(err)
		}
		if tc.CmpID != 89 || tc.CmpVersion != 5 || tc.ConsentScreen != 12 || tc.PublisherCC != "GB" ||
			!tc.IsServiceSpecific || tc.SpecialFeatureOptIns != 0 || tc.PurposesConsent != 0 ||
			tc.PurposesLITransparency != 0 {
			t.Errorf("metadata: %+v", tc)
		}
		checkSet(t, "consents", &tc.VendorConsents, 720, vendorList())
		checkSet(t, "LI", &tc.VendorLegitimateInterests, 720, vendorList())
	})

	t.Run("iabconsent policy version 4 with OOB segments", func(t *testing.T) {
		// Source: LiveRamp/iabconsent v2_parsed_consent_fixture_test.go
		// ("Valid TCF v2.2." entry).
		tc, err := Decode("COvzTO5OvzTO5B7ABCENAPEYAIAAAIAAAIqIAAoAAoAA.QAAo.IAAo")
		if err != nil {
			t.Fatal(err)
		}
		if tc.TcfPolicyVersion != 4 || tc.IsServiceSpecific || !tc.UseNonStandardTexts ||
			tc.PurposesConsent != purposes(1) || tc.PurposesLITransparency != purposes(1) ||
			tc.PublisherCC != "FR" {
			t.Errorf("metadata: %+v", tc)
		}
		checkSet(t, "consents", &tc.VendorConsents, 1, []int{1})
		checkSet(t, "LI", &tc.VendorLegitimateInterests, 1, []int{1})
		checkSet(t, "disclosed", &tc.DisclosedVendors, 1, []int{1})
		checkSet(t, "allowed", &tc.AllowedVendors, 1, []int{1})
	})

	t.Run("iabconsent policy version 5", func(t *testing.T) {
		// Source: LiveRamp/iabconsent v2_parsed_consent_fixture_test.go
		// ("TCF > v2.2, with PurposesLit 2 and 7 True." entry).
		tc, err := Decode("COvzTO5OvzTO5B7ABCENAPFYAIAAAEIAAIqIAAoAAoAA.QAAo.IAAo")
		if err != nil {
			t.Fatal(err)
		}
		if tc.TcfPolicyVersion != 5 || tc.PurposesLITransparency != purposes(2, 7) {
			t.Errorf("policy %d LI %b", tc.TcfPolicyVersion, tc.PurposesLITransparency)
		}
	})

	t.Run("iabtcf-java all segments, padded", func(t *testing.T) {
		// Source: InteractiveAdvertisingBureau/iabtcf-java
		// TCDecoderTest.java (testDecodeAllSegments); note the trailing '='.
		tc, err := Decode("COtybn4PA_zT4KjACBENAPCIAEBAAECAAIAAAAAAAAAA.IBAgAAAgAIAwgAgAAAAEAAAACA.QAagAQAgAIAwgA.cAAAAAAAITg=")
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []int{12, 23, 37, 47, 48, 53} {
			if !tc.AllowedVendors.Has(id) {
				t.Errorf("allowed vendor %d missing", id)
			}
		}
		for _, id := range []int{23, 37, 47, 48, 53, 65, 98, 129} {
			if !tc.DisclosedVendors.Has(id) {
				t.Errorf("disclosed vendor %d missing", id)
			}
		}
		p := tc.Publisher
		if p == nil {
			t.Fatal("no publisher TC segment")
		}
		if p.PubPurposesConsent&purposes(1) == 0 || p.PubPurposesLITransparency&purposes(24) == 0 {
			t.Errorf("publisher purposes %b %b", p.PubPurposesConsent, p.PubPurposesLITransparency)
		}
		if p.NumCustomPurposes != 2 || p.CustomPurposesConsent&2 == 0 || p.CustomPurposesLITransparency != 3 {
			t.Errorf("custom purposes %+v", p)
		}
	})

	t.Run("iabtcf-java publisher restrictions bit string", func(t *testing.T) {
		// Source: InteractiveAdvertisingBureau/iabtcf-java
		// TCDecoderTest.java (testPublisherRestrictions): the bit string.
		bitsStr := "0000100011101011100" + "1000000000000001010" + "0000001110101110010" +
			"0000000000000101000" + "0000110011111000000" + "0000000000000000100" +
			"0011010000000011110" + "0001000000000000000" + "0000000000000000000" +
			"0000000000000000000" + "0000000000000000000" + "0000000000000000000" +
			"0000000000000000000" +
			"000000000011" +
			"000001" + "01" + "000000000001" + "0" + "0000000000000001" +
			"000010" + "00" + "000000000001" + "0" + "0000000000000010" +
			"000011" + "10" + "000000000001" + "0" + "0000000000000011"
		tc, err := Decode(b64FromBits(bitsStr))
		if err != nil {
			t.Fatal(err)
		}
		want := []PubRestriction{
			{PurposeID: 1, Type: RestrictRequireConsent, Vendors: []VendorRange{{1, 1}}},
			{PurposeID: 2, Type: RestrictNotAllowed, Vendors: []VendorRange{{2, 2}}},
			{PurposeID: 3, Type: RestrictRequireLI, Vendors: []VendorRange{{3, 3}}},
		}
		if len(tc.PubRestrictions) != 3 {
			t.Fatalf("PubRestrictions = %+v", tc.PubRestrictions)
		}
		for i, w := range want {
			g := tc.PubRestrictions[i]
			if g.PurposeID != w.PurposeID || g.Type != w.Type || len(g.Vendors) != 1 || g.Vendors[0] != w.Vendors[0] {
				t.Errorf("restriction %d = %+v, want %+v", i, g, w)
			}
		}
	})

	t.Run("go-gdpr TCF 2.3 disclosed vendors", func(t *testing.T) {
		// Source: prebid/go-gdpr vendorconsent/tcf2/disclosed_vendors_test.go
		// (TestParseDisclosedVendors): core + bytes 20 01 4a 80.
		tc, err := Decode("COyiILmOyiILmADACHENAPCAAAAAAAAAAAAAE5QBgALgAqgD8AQACSwEygJyAAAAAA.IAFKgA")
		if err != nil {
			t.Fatal(err)
		}
		if tc.VendorListVersion != 15 {
			t.Errorf("VendorListVersion = %d", tc.VendorListVersion)
		}
		checkSet(t, "disclosed", &tc.DisclosedVendors, 10, []int{1, 3, 5})
	})

	t.Run("go-gdpr segments in any order", func(t *testing.T) {
		// Source: prebid/go-gdpr vendorconsent/tcf2/disclosed_vendors_test.go
		// (TestSegmentsInAnyOrder): disclosed bytes 20 03 4a 80 20 80 50 9f,
		// in both orders with a Publisher TC segment. go-gdpr's 3-byte
		// publisher segment (60 00 00) is shorter than the 57 bits the
		// segment needs, so this uses the "YAAAAAAAAAAA" segment of its
		// TestMultipleSegments; the short one is in TestDecodeErrors.
		const core = "COwGVJOOwGVJOADACHENAOCAAO6as_-AAAhoAFNLAAoAAAA"
		const dv, pub = "IANKgCCAUJ8", "YAAAAAAAAAAA"
		for _, s := range []string{core + "." + dv + "." + pub, core + "." + pub + "." + dv} {
			tc, err := Decode(s)
			if err != nil {
				t.Fatal(err)
			}
			if tc.DisclosedVendors.Max() != 26 || !tc.DisclosedVendors.Has(1) || !tc.DisclosedVendors.Has(3) ||
				!tc.DisclosedVendors.Has(21) || tc.DisclosedVendors.Has(27) || tc.DisclosedVendors.Has(2) {
				t.Errorf("%s: disclosed %+v", s, tc.DisclosedVendors)
			}
			if tc.Publisher == nil {
				t.Errorf("%s: no publisher segment", s)
			}
		}
	})

	t.Run("go-gdpr trailing dot", func(t *testing.T) {
		// Source: prebid/go-gdpr vendorconsent/tcf2/disclosed_vendors_test.go
		// (TestEmptyDisclosedVendorsSegment).
		tc, err := Decode("COyiILmOyiILmADACHENAPCAAAAAAAAAAAAAE5QBgALgAqgD8AQACSwEygJyAAAAAA.")
		if err != nil {
			t.Fatal(err)
		}
		if tc.DisclosedVendors.Present() {
			t.Error("empty segment must not count as DisclosedVendors")
		}
	})
}

func TestDecodeErrors(t *testing.T) {
	core := coreFields{lastUpdatedDs: 17640000000, policy: 4, iss: 1}.encode()
	tests := []struct {
		name, in, reason string
	}{
		{"empty", "", ReasonEmpty},
		{"too long", strings.Repeat("A", MaxLen+1), ReasonTooLong},
		{"bad base64", "CO!zTO5OvzTO5B", ReasonBase64},
		{"space", core[:10] + " " + core[11:], ReasonBase64},
		// Source: InteractiveAdvertisingBureau/iabtcf-java TCDecoderTest.java
		// (testVersionOne): a TCF v1 string.
		{"TCF v1", "BObdrPUOevsguAfDqFENCNAAAAAmeAAA", ReasonVersion},
		{"version 3", b64FromBits("000011" + strings.Repeat("0", 300)), ReasonVersion},
		{"truncated core", core[:20], ReasonTruncated},
		{"truncated vendor section", core[:len(core)-3], ReasonTruncated},
		{"bad letters", b64FromBits("000010" + strings.Repeat("0", 36*2+12+12+6) + "111111000000" + strings.Repeat("0", 200)), ReasonLetters},
		// Source: prebid/go-gdpr vendorconsent/tcf2/disclosed_vendors_test.go
		// (TestSegmentsInAnyOrder): its Publisher TC segment is 24 bits,
		// which go-gdpr ignores; it is truncated here.
		{"short publisher TC", "COwGVJOOwGVJOADACHENAOCAAO6as_-AAAhoAFNLAAoAAAA.IANKgCCAUJ8.YAAA", ReasonTruncated},
		{"second core segment", core + "." + core, ReasonSegmentType},
		{"segment type 5", core + "." + b64FromBits("101"+strings.Repeat("0", 20)), ReasonSegmentType},
		{"duplicate disclosed", core + "." + disclosed + "." + disclosed, ReasonDuplicateSegment},
		{"truncated publisher TC", core + "." + b64FromBits("011"+strings.Repeat("0", 30)), ReasonTruncated},
		{"range start > end", coreFields{policy: 4, iss: 1, vendorSection: "0000000000001010" + "1" + "000000000001" +
			"1" + "0000000000000101" + "0000000000000011"}.encode(), ReasonRange},
		{"range vendor 0", coreFields{policy: 4, iss: 1, vendorSection: "0000000000001010" + "1" + "000000000001" +
			"0" + "0000000000000000"}.encode(), ReasonVendorID},
		{"range vendor > max", coreFields{policy: 4, iss: 1, vendorSection: "0000000000001010" + "1" + "000000000001" +
			"0" + "0000000000001011"}.encode(), ReasonVendorID},
		{"range entries beyond input", coreFields{policy: 4, iss: 1, vendorSection: "1111111111111111" + "1" + "111111111111"}.encode(), ReasonTruncated},
		{"bitfield beyond input", coreFields{policy: 4, iss: 1, vendorSection: "1111111111111111" + "0" + "1111"}.encode(), ReasonTruncated},
		{"restrictions beyond input", coreFields{policy: 4, iss: 1, vendorSection: "0000000000000000" + "0" + "0000000000000000" + "0" + "111111111111"}.encode(), ReasonTruncated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tc, err := Decode(tt.in)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%+v), want *Error %s", err, tc, tt.reason)
			}
			if e.Level != LevelDecode || e.Reason != tt.reason {
				t.Errorf("err = %v, want decode/%s", e, tt.reason)
			}
			if tc != nil {
				t.Error("non-nil result with an error")
			}
		})
	}
}

func TestValidate(t *testing.T) {
	const day = 24 * 60 * 60 * 1000
	// 2026-11-01, day-level, in deciseconds.
	const lu = 17934912000
	now := int64(lu)*100 + 10*day
	liP3 := "001000000000000000000000"
	liP2P7 := "010000100000000000000000"
	tests := []struct {
		name   string
		in     string
		now    int64
		days   int
		level  Level
		reason string
	}{
		{"valid", coreFields{lastUpdatedDs: lu, policy: 4, iss: 1}.encode() + "." + disclosed, now, 390, 0, ""},
		{"valid LI for 2 and 7", coreFields{lastUpdatedDs: lu, policy: 4, iss: 1, liBits: liP2P7}.encode() + "." + disclosed, now, 390, 0, ""},
		{"validity disabled", coreFields{lastUpdatedDs: lu, policy: 4, iss: 1}.encode() + "." + disclosed, now + 5000*day, 0, 0, ""},
		// Source: LiveRamp/iabconsent v2_parsed_consent_fixture_test.go
		// (first entry: TcfPolicyVersion 2).
		{"policy version 2", "COvzTO5OvzTO5B7ABCENAPCYAKdAADkAAIqIFhwBAAGAAXAFGAsMAhYAgAMAAegBYAEKAAA.IFoEUQQgAIQwgIwQABAEAAAAOIAACAIAAAAQAIAgEAACEAAAAAgAQBAAAAAAAGBAAgAAAAAAAFAAECAAAgAAQARAEQAAAAAJAAIAAgAAAYQEAAAQmAgBC3ZAYzUw.QE5QAwCvgHyATkA", now, 390, LevelPolicy, ReasonPolicyVersion},
		// Source: LiveRamp/iabconsent v2_parsed_consent_fixture_test.go
		// (v2InvalidConsentFixtures: policy 4 with LI for purposes 3, 4,
		// 5, 6, and policy 5 with LI for purpose 6).
		{"iabconsent LI 3", "COvwooAOvwooAB7ABCENAPEYAIAAACAAAIqIAAoAAoAA.QAAo.IAAo", now, 390, LevelPolicy, ReasonLIForbidden},
		{"iabconsent LI 4", "COvwooAOvwooAB7ABCENAPEYAIAAABAAAIqIAAoAAoAA.QAAo.IAAo", now, 390, LevelPolicy, ReasonLIForbidden},
		{"iabconsent LI 5", "COvwooAOvwooAB7ABCENAPEYAIAAAAgAAIqIAAoAAoAA.QAAo.IAAo", now, 390, LevelPolicy, ReasonLIForbidden},
		{"iabconsent LI 6", "COvwooAOvwooAB7ABCENAPEYAIAAAAQAAIqIAAoAAoAA.QAAo.IAAo", now, 390, LevelPolicy, ReasonLIForbidden},
		{"iabconsent LI 3-5", "COvwooAOvwooAB7ABCENAPEYAIAAADkAAIqIAAoAAoAA.QAAo.IAAo", now, 390, LevelPolicy, ReasonLIForbidden},
		{"iabconsent policy 5 LI 6", "COvwooAOvwooAB7ABCENAPFYAIAAAAQAAIqIAAoAAoAA.QAAo.IAAo", now, 390, LevelPolicy, ReasonLIForbidden},
		// Source: LiveRamp/iabconsent ("Valid TCF v2.2." entry): valid for
		// iabconsent, but IsServiceSpecific is 0.
		{"iabconsent not service-specific", "COvzTO5OvzTO5B7ABCENAPEYAIAAAIAAAIqIAAoAAoAA.QAAo.IAAo", now, 390, LevelPolicy, ReasonNotServiceSpecific},
		{"constructed LI 3", coreFields{lastUpdatedDs: lu, policy: 4, iss: 1, liBits: liP3}.encode() + "." + disclosed, now, 390, LevelPolicy, ReasonLIForbidden},
		{"publisher LI 4", coreFields{lastUpdatedDs: lu, policy: 4, iss: 1}.encode() + "." + disclosed + "." +
			b64FromBits("011"+strings.Repeat("0", 24)+"000100000000000000000000"+"000000"), now, 390, LevelPolicy, ReasonLIForbidden},
		{"constructed policy 3", coreFields{lastUpdatedDs: lu, policy: 3, iss: 1}.encode() + "." + disclosed, now, 390, LevelPolicy, ReasonPolicyVersion},
		{"constructed ISS 0", coreFields{lastUpdatedDs: lu, policy: 4, iss: 0}.encode() + "." + disclosed, now, 390, LevelPolicy, ReasonNotServiceSpecific},
		{"no disclosed vendors after 2.3 deadline", coreFields{lastUpdatedDs: lu, policy: 4, iss: 1}.encode(), now, 390, LevelPolicy, ReasonNoDisclosedVendors},
		{"no disclosed vendors before 2.3 deadline", coreFields{lastUpdatedDs: uint64(DisclosedVendorsRequiredFrom/100 - 864000), policy: 4, iss: 1}.encode(), DisclosedVendorsRequiredFrom, 390, 0, ""},
		{"future", coreFields{lastUpdatedDs: lu, policy: 4, iss: 1}.encode() + "." + disclosed, int64(lu)*100 - 3*day, 390, LevelPolicy, ReasonFuture},
		{"stale", coreFields{lastUpdatedDs: lu, policy: 4, iss: 1}.encode() + "." + disclosed, int64(lu)*100 + 391*day, 390, LevelStale, ReasonStale},
		{"just fresh", coreFields{lastUpdatedDs: lu, policy: 4, iss: 1}.encode() + "." + disclosed, int64(lu)*100 + 390*day, 390, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tc, err := Decode(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			err = tc.Validate(tt.now, tt.days)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("Validate = %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Level != tt.level || e.Reason != tt.reason {
				t.Fatalf("Validate = %v, want %v/%s", err, tt.level, tt.reason)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	_, err := Decode("B")
	if err == nil || !strings.HasPrefix(err.Error(), "tcf: decode: ") {
		t.Errorf("err = %v", err)
	}
}

func BenchmarkDecode(b *testing.B) {
	const s = "COvzTO5OvzTO5B7ABCENAPCYAKdAADkAAIqIFhwBAAGAAXAFGAsMAhYAgAMAAegBYAEKAAA.IFoEUQQgAIQwgIwQABAEAAAAOIAACAIAAAAQAIAgEAACEAAAAAgAQBAAAAAAAGBAAgAAAAAAAFAAECAAAgAAQARAEQAAAAAJAAIAAgAAAYQEAAAQmAgBC3ZAYzUw.QE5QAwCvgHyATkA"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(s); err != nil {
			b.Fatal(err)
		}
	}
}
