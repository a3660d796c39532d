//go:build !tinygo

package core

import (
	"errors"
	"strconv"

	"github.com/crumbless/crumbless/sdk/wire"
)

// BatchJSON turns a batch in the module's form into the sdk/wire JSON the
// loader sends, with sent_at set: what the loader's JSON.stringify does,
// for tests that drive the tracker or the module without a browser.
func BatchJSON(out []byte, sentAt int64) ([]byte, error) {
	b := wire.Batch{SentAt: sentAt}
	var e *wire.Event
	var props *[]wire.Prop
	for len(out) > 0 {
		if len(out) < 3 {
			return nil, errors.New("batch: field cut short")
		}
		key, n := int(out[0]), int(out[1])|int(out[2])<<8
		if len(out) < 3+n {
			return nil, errors.New("batch: field runs past the end")
		}
		v := out[3 : 3+n]
		out = out[3+n:]
		switch {
		case key == keyEvent:
			b.Events = append(b.Events, wire.Event{})
			e = &b.Events[len(b.Events)-1]
			continue
		case key >= keySite && key <= keyAutomated:
			if key == keyAutomated {
				b.Automated = string(v) == "1"
			} else {
				*[...]*[]byte{&b.Site, &b.Tier, &b.Flags, &b.Signals, &b.Policy, &b.UID}[key-keySite] = v
			}
			continue
		case e == nil:
			return nil, errors.New("batch: event field before any event")
		}
		switch {
		case key == keyProps:
			e.Props, props = append(e.Props, wire.Prop{Key: v}), &e.Props
		case key == keyExp:
			e.Exp, props = append(e.Exp, wire.Prop{Key: v}), &e.Exp
		case key == keyValue && props != nil && len(*props) > 0:
			(*props)[len(*props)-1].Value = v
		case key == keyID:
			e.ID = v
		case key == keyType:
			e.Kind = wire.ParseKind(v)
		case key == keyTS:
			e.TS, _ = strconv.ParseInt(string(v), 10, 64)
		case key >= keyText && key < keyNumber:
			*e.Texts()[key-keyText] = v
		case key >= keyNumber && key < keyNumber+len(wire.NumberNames):
			*e.Numbers()[key-keyNumber], _ = strconv.ParseInt(string(v), 10, 64)
		default:
			return nil, errors.New("batch: unknown key " + strconv.Itoa(key))
		}
	}
	return wire.AppendBatch(nil, &b), nil
}
