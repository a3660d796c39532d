package core

// Event ids are the hex of 12 bytes of the init seed followed by the hex of a
// sequence number, counted from 0 for each page load (each module instance;
// SPA navigations continue the count): 25 to 40 characters.
//
// Why they are unique: within one page load the sequence numbers differ, and
// the 24-character prefix is fixed, so no two ids of a page load are equal.
// Across page loads the prefixes are 96 random bits from
// crypto.getRandomValues; among n page loads the chance that two share a
// prefix is below n²/2⁹⁷, about 6·10⁻⁶ for a trillion page loads. An id is
// written into the encoded event when it is queued, so a batch that is sent
// again carries the same ids and the collector can deduplicate.
//
// The id says nothing about the visitor: the seed is new on every page load
// and never stored.

// seedBytes is how many bytes of the init seed make the id prefix.
const seedBytes = 12

const hexDigits = "0123456789abcdef"

type eventIDs struct {
	buf [2*seedBytes + 16]byte // the prefix, then room for a uint64 in hex
	seq uint64
}

func (ids *eventIDs) init(seed []byte) {
	putHex(ids.buf[:], seed[:seedBytes])
	ids.seq = 0
}

// putHex writes the lower-case hex of src at the start of dst.
func putHex(dst, src []byte) {
	for i, c := range src {
		dst[2*i], dst[2*i+1] = hexDigits[c>>4], hexDigits[c&15]
	}
}

// next returns the next id. It is valid until the following call.
func (ids *eventIDs) next() []byte {
	n := ids.seq
	ids.seq++
	digits := 1
	for v := n >> 4; v != 0; v >>= 4 {
		digits++
	}
	end := 2*seedBytes + digits
	for i := end - 1; i >= 2*seedBytes; i-- {
		ids.buf[i] = hexDigits[n&15]
		n >>= 4
	}
	return ids.buf[:end]
}
