package consent

// TCF purposes, as bit i-1 of the publisher's purpose consents.
const (
	tcfStore      = 1 << 0 // P1 store and/or access information on a device
	tcfAdMeasure  = 1 << 6 // P7 measure advertising performance
	tcfContent    = 1 << 7 // P8 measure content performance
	tcfAudience   = 1 << 8 // P9 understand audiences through statistics
	tcfStatistics = tcfContent | tcfAudience
)

// TCFChoice maps a TCF v2 Publisher TC segment onto a Choice (rule 7 of
// §3.2). Bit i of pubConsents is TCF purpose i+1. pubLI, the legitimate
// interest bits, never counts: legitimate interest cannot satisfy ePrivacy
// Art. 5(3). The consent/tcf package decodes the string and validates it;
// a string that fails is not mapped but marked Signals.Invalid.
//
// When gdprApplies is false TCF is not applicable: the zero Choice (all
// Unset) and no reasons. Otherwise:
//
//	measurement  Granted if P8 or P9, else Unset (a missing TCF consent is
//	             not an objection: under the exempt basis T2 holds)
//	analytics    Granted if P1 and (P8 or P9), else Denied
//	interaction  Granted if P1 and (P8 or P9), else Denied
//	marketing    Granted if P1 and P7, else Denied
//
// Necessary is Unset. Without P1 there is no device storage: the reasons
// then hold ReasonStorageDenied, and the page sets Signals.NoStorage.
func TCFChoice(gdprApplies bool, pubConsents, pubLI uint32, at int64) (Choice, Reasons) {
	_ = pubLI
	if !gdprApplies {
		return Choice{}, 0
	}
	c := Choice{At: at}
	c.States[Analytics], c.States[Interaction], c.States[Marketing] = Denied, Denied, Denied
	if pubConsents&tcfStatistics != 0 {
		c.States[Measurement] = Granted
		if pubConsents&tcfStore != 0 {
			c.States[Analytics], c.States[Interaction] = Granted, Granted
		}
	}
	if pubConsents&(tcfStore|tcfAdMeasure) == tcfStore|tcfAdMeasure {
		c.States[Marketing] = Granted
	}
	if pubConsents&tcfStore == 0 {
		return c, ReasonStorageDenied
	}
	return c, 0
}

// GPPUSOptOut reports whether a GPP US section opts out (§2.3): any of
// SaleOptOut, SharingOptOut or TargetedAdvertisingOptOut is 1 (opted out),
// or the GPC subsection is set. The page sets Signals.USOptOut from it.
func GPPUSOptOut(sale, sharing, targeted uint8, gpc bool) bool {
	return sale == 1 || sharing == 1 || targeted == 1 || gpc
}

// GPPUSChoice maps a GPP US section onto a Choice: marketing Denied when it
// opts out (GPPUSOptOut), everything else Unset. A US section never grants:
// not opting out is not consent, and the region default already allows
// what an opt-out regime allows.
func GPPUSChoice(sale, sharing, targeted uint8, gpc bool, at int64) Choice {
	if !GPPUSOptOut(sale, sharing, targeted, gpc) {
		return Choice{}
	}
	c := Choice{At: at}
	c.States[Marketing] = Denied
	return c
}
