package consent

// SecGPC reports whether Sec-GPC header values say "1" (§4.4): each value
// (one per header line) is split on commas, each element trimmed of spaces
// and tabs, and any element exactly "1" wins. Anything else ("0", "true",
// "yes") is ignored.
func SecGPC(values ...[]byte) bool {
	return anyElement(values, func(e []byte) bool { return string(e) == "1" })
}

// DNTHeader reports whether DNT header values say "1". Values are split
// like SecGPC's; an element counts when it is "1" or "1" followed by a DNT
// extension (the DNT grammar allows extension characters after the digit).
func DNTHeader(values ...[]byte) bool {
	return anyElement(values, func(e []byte) bool { return len(e) > 0 && e[0] == '1' })
}

func anyElement(values [][]byte, is func([]byte) bool) bool {
	for _, v := range values {
		for rest := v; rest != nil; {
			var e []byte
			e, rest = cut(rest, ',')
			if is(trim(e)) {
				return true
			}
		}
	}
	return false
}
