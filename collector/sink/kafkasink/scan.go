package kafkasink

import "bytes"

// rowFields are the members of one NDJSON row the sink needs, as written
// in the row: strings without their quotes (escapes left as they are),
// numbers as they are. A member that is missing, or not of its type, is
// nil.
type rowFields struct {
	eventID, visitorID, schemaVersion []byte
	// schema is a consent record's version (collector/record), a string.
	schema []byte
}

// scanRow finds the top-level members event_id, visitor_id, schema
// (strings) and schema_version (a number) of one JSON object by walking its bytes,
// without decoding it or allocating. Nested objects and arrays are
// skipped. On a malformed row it returns what it found before the fault:
// the row is still produced, keyed and labelled as well as it can be.
func scanRow(row []byte) (f rowFields) {
	i := skipSpace(row, 0)
	if i >= len(row) || row[i] != '{' {
		return f
	}
	for i++; ; i++ {
		i = skipSpace(row, i)
		end, ok := skipString(row, i)
		if !ok {
			return f
		}
		key := row[i+1 : end-1]
		if i = skipSpace(row, end); i >= len(row) || row[i] != ':' {
			return f
		}
		start := skipSpace(row, i+1)
		if i, ok = skipValue(row, start); !ok {
			return f
		}
		f.set(key, row[start:i])
		if i = skipSpace(row, i); i >= len(row) || row[i] != ',' {
			return f
		}
	}
}

func (f *rowFields) set(key, val []byte) {
	isString := val[0] == '"'
	switch string(key) { // no allocation: the compiler compares in place
	case "event_id":
		if isString {
			f.eventID = val[1 : len(val)-1]
		}
	case "visitor_id":
		if isString {
			f.visitorID = val[1 : len(val)-1]
		}
	case "schema":
		if isString {
			f.schema = val[1 : len(val)-1]
		}
	case "schema_version":
		if val[0] == '-' || val[0] >= '0' && val[0] <= '9' {
			f.schemaVersion = val
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just past the string starting at b[i]: at
// the first quote not escaped by an odd run of backslashes.
func skipString(b []byte, i int) (int, bool) {
	if i >= len(b) || b[i] != '"' {
		return i, false
	}
	for i++; ; i++ {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return len(b), false
		}
		i += j
		k := i
		for b[k-1] == '\\' { // stops at the opening quote at the latest
			k--
		}
		if (i-k)%2 == 0 {
			return i + 1, true
		}
	}
}

// skipValue returns the index just past the value starting at b[i]: a
// string, an object or array (with everything in it), or a number or
// literal (up to the next delimiter).
func skipValue(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return i, false
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		return skipNested(b, i)
	}
	start := i
	for i < len(b) && !isDelim(b[i]) {
		i++
	}
	return i, i > start
}

// skipNested skips an object or array, counting brackets outside strings.
func skipNested(b []byte, i int) (int, bool) {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '"':
			end, ok := skipString(b, i)
			if !ok {
				return end, false
			}
			i = end
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i + 1, true
			}
		}
		i++
	}
	return i, false
}

func isDelim(c byte) bool {
	return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r'
}
