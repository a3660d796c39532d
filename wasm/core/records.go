package core

// A feed is a sequence of records (wasm/ABI.md):
//
//	record := kind:u8  count:u8  field{count}
//	field  := len:u16le  bytes{len}

// records walks the records of one feed. A record that runs past the end of
// the feed is malformed; it and everything after it are ignored, since the
// next record boundary is unknown.
type records struct{ rest []byte }

// next returns the next record's kind and fields, or ok false at the end.
func (r *records) next() (kind byte, f fields, ok bool) {
	b := r.rest
	if len(b) < 2 {
		r.rest = nil
		return 0, fields{}, false
	}
	kind, count := b[0], int(b[1])
	end := 2
	for i := 0; i < count; i++ {
		if len(b)-end < 2 {
			r.rest = nil
			return 0, fields{}, false
		}
		end += 2 + (int(b[end]) | int(b[end+1])<<8)
		if end > len(b) {
			r.rest = nil
			return 0, fields{}, false
		}
	}
	r.rest = b[end:]
	return kind, fields{rest: b[2:end], n: count}, true
}

// fields walks the fields of one record that records.next has checked.
type fields struct {
	rest []byte
	n    int
}

// next returns the next field, or nil when none is left.
func (f *fields) next() []byte {
	if f.n == 0 {
		return nil
	}
	f.n--
	n := int(f.rest[0]) | int(f.rest[1])<<8
	v := f.rest[2 : 2+n : 2+n]
	f.rest = f.rest[2+n:]
	return v
}

// read sets dst's elements to the next fields (nil when none is left).
func (f *fields) read(dst [][]byte) {
	for i := range dst {
		dst[i] = f.next()
	}
}

// left is how many fields next has still to return.
func (f *fields) left() int { return f.n }

// AppendRecord appends one record to dst: what the loader writes into the
// module's input buffer. Fields longer than 65,535 bytes are cut, as the
// loader cuts them; more than 255 fields are dropped.
func AppendRecord(dst []byte, kind byte, fields ...string) []byte {
	if len(fields) > 255 {
		fields = fields[:255]
	}
	dst = append(dst, kind, byte(len(fields)))
	for _, s := range fields {
		if len(s) > 0xFFFF {
			s = s[:0xFFFF]
		}
		dst = append(dst, byte(len(s)), byte(len(s)>>8))
		dst = append(dst, s...)
	}
	return dst
}
