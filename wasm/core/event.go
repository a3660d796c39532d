package core

import "github.com/crumbless/crumbless/sdk/wire"

// event is an sdk/wire event as the tracker builds it: its text and number
// fields in arrays indexed by wire.TextPath... and wire.NumberStatus...,
// so that one loop writes them all (out.go), which keeps the module small.
type event struct {
	id    []byte
	kind  wire.Kind
	ts    int64
	text  [wire.NumTexts][]byte
	num   [wire.NumNumbers]int64
	props []wire.Prop
	exp   []wire.Prop
}

// noEvent is the zero event, copied to reset one: far less code than a
// composite literal.
var noEvent event
