package row

import _ "embed"

// JSONSchema is the JSON Schema (draft 2020-12) of a row at SchemaVersion.
//
//go:embed schema/event-v1.schema.json
var JSONSchema []byte
