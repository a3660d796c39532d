package core

import (
	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/internal/buf"
	"github.com/crumbless/crumbless/sdk/wire"
)

// The module hands the loader each batch as fields, not as JSON
// (wasm/ABI.md, "Batches"): the loader writes the sdk/wire JSON with
// JSON.stringify, which costs the tag far fewer bytes than an encoder in
// the module. A field is
//
//	key:u8  len:u16le  bytes{len}
//
// and OutKeys names the keys. The loader sets v and sent_at itself.

// Keys of the batch form.
const (
	keyEvent = iota // no bytes: a new event starts
	keyValue        // the value of the prop or experiment named by the field before
	keyProps        // a prop's name; its value follows
	keyExp          // an experiment's name; its variant follows
	keySite
	keyTier
	keyFlags
	keySignals
	keyPolicy
	keyUID
	keyAutomated
	keyID
	keyType
	keyTS
	keyText                                   // wire.TextNames follow, in order
	keyNumber = keyText + len(wire.TextNames) // then wire.NumberNames
)

// OutKeys returns the names of the keys, as the loader has them: "" for
// keyEvent, "=" for keyValue, "{" before an object's name, "#" before a
// number's. sdk/cmd/distbuild writes them into the loader.
func OutKeys() []string {
	keys := []string{"", "=", "{props", "{exp", "site", "tier", "flags", "signals", "policy", "uid", "#automated", "id", "type", "#ts"}
	keys = append(keys, wire.TextNames[:]...)
	for _, n := range wire.NumberNames {
		keys = append(keys, "#"+n)
	}
	return keys
}

// appendOut appends one field, even an empty one.
func appendOut(dst []byte, key int, v []byte) []byte {
	return buf.Bytes(buf.Bytes(dst, byte(key), byte(len(v)), byte(len(v)>>8)), v...)
}

// appendText appends a field unless v is empty.
func appendText(dst []byte, key int, v []byte) []byte {
	if len(v) == 0 {
		return dst
	}
	return appendOut(dst, key, v)
}

// appendNumber appends n in decimal, unless it is 0.
func appendNumber(dst []byte, key int, n int64) []byte {
	if n == 0 {
		return dst
	}
	start := len(dst)
	dst = consent.AppendInt(buf.Bytes(dst, byte(key), 0, 0), n)
	if len(dst) > start+3 { // (the buffer had room)
		dst[start+1] = byte(len(dst) - start - 3) // at most 20 digits
	}
	return dst
}

// appendEvent appends e.
func appendEvent(dst []byte, e *event) []byte {
	dst = appendOut(dst, keyEvent, nil)
	dst = appendText(dst, keyID, e.id)
	dst = buf.String(buf.Bytes(dst, keyType, byte(len(e.kind.String())), 0), e.kind.String())
	dst = appendNumber(dst, keyTS, e.ts)
	for i, v := range &e.text {
		dst = appendText(dst, keyText+i, v)
	}
	for i, v := range &e.num {
		dst = appendNumber(dst, keyNumber+i, v)
	}
	for i, props := range [...][]wire.Prop{e.props, e.exp} {
		for _, p := range props {
			dst = appendOut(appendOut(dst, keyProps+i, p.Key), keyValue, p.Value)
		}
	}
	return dst
}
