package audittest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// SARIFSchema returns the path of the SARIF 2.1.0 schema that
// scripts/fetch-sarif-schema.sh saves under the module's .cache folder
// (NEWSA11Y_SARIF_SCHEMA overrides it), or "" when it is absent. Under
// NEWSA11Y_REQUIRE_SARIF_SCHEMA=1 an absent schema fails the test.
func SARIFSchema(tb testing.TB) string {
	tb.Helper()
	path := os.Getenv("NEWSA11Y_SARIF_SCHEMA")
	if path == "" {
		path = filepath.Join(ModuleRoot(tb), ".cache", "sarif-2.1.0-rtm.5.json")
	}
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("NEWSA11Y_REQUIRE_SARIF_SCHEMA") == "1" {
			tb.Fatalf("the SARIF schema is required: %v (run scripts/fetch-sarif-schema.sh)", err)
		}
		tb.Logf("no SARIF schema at %s; run scripts/fetch-sarif-schema.sh", path)
		return ""
	}
	return path
}

// ModuleRoot returns the folder of the module's go.mod, found from the
// test's working folder upwards.
func ModuleRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}

// ValidateJSON checks a JSON document against a JSON Schema file.
func ValidateJSON(tb testing.TB, schemaPath string, doc []byte) {
	tb.Helper()
	sch, err := jsonschema.NewCompiler().Compile(schemaPath)
	if err != nil {
		tb.Fatalf("compile %s: %v", schemaPath, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		tb.Fatalf("the document is not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		tb.Errorf("the document does not validate against %s:\n%v", filepath.Base(schemaPath), err)
	}
}
