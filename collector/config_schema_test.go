package collector

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestSchemaHasEveryKey walks Config by its yaml tags and checks that the
// schema has a property for every key, and no property Config lacks.
func TestSchemaHasEveryKey(t *testing.T) {
	var schema map[string]any
	if err := json.Unmarshal(ConfigSchema, &schema); err != nil {
		t.Fatal(err)
	}
	compareKeys(t, "", reflect.TypeFor[Config](), schema, schema)
}

func compareKeys(t *testing.T, path string, typ reflect.Type, node, root map[string]any) {
	node = deref(node, root)
	props, _ := node["properties"].(map[string]any)
	seen := map[string]bool{}
	for i := range typ.NumField() {
		f := typ.Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if key == "" || key == "-" {
			continue
		}
		seen[key] = true
		prop, ok := props[key].(map[string]any)
		if !ok {
			t.Errorf("schema has no property %s%s", path, key)
			continue
		}
		ft := f.Type
		for ft.Kind() == reflect.Slice || ft.Kind() == reflect.Pointer {
			if ft.Kind() == reflect.Slice {
				if items, ok := deref(prop, root)["items"].(map[string]any); ok {
					prop = items
				}
			}
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft != reflect.TypeFor[time.Time]() {
			compareKeys(t, path+key+".", ft, prop, root)
		}
	}
	for key := range props {
		if !seen[key] {
			t.Errorf("schema property %s%s is not in Config", path, key)
		}
	}
}

// deref follows a "$ref": "#/$defs/NAME".
func deref(node, root map[string]any) map[string]any {
	if ref, ok := node["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/$defs/")
		return root["$defs"].(map[string]any)[name].(map[string]any)
	}
	return node
}

// TestExamplesMatchSchema validates every good example configuration
// against the schema, and checks that the bad ones fail it.
func TestExamplesMatchSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(ConfigSchema))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("config.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("config.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, f := range files {
		inst := yamlAsJSON(t, f)
		err := sch.Validate(inst)
		if bad := strings.HasPrefix(filepath.Base(f), "bad"); bad != (err != nil) {
			t.Errorf("%s: schema says %v", f, err)
		}
	}
}

func yamlAsJSON(t *testing.T, path string) any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}
