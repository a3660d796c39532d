package collector

import _ "embed"

// ConfigSchema is the JSON Schema (draft 2020-12) of the configuration
// file, for editors: point yaml-language-server at config.schema.json.
//
//go:embed config.schema.json
var ConfigSchema []byte
