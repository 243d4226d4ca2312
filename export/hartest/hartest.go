// Package hartest checks HAR documents against the public HAR 1.2 JSON
// Schema (har-schema, kept in export/testdata/har-schema), for the tests of
// every package that writes HAR: the export package, the command line and
// the local API.
package hartest

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Validate fails t with every place doc breaks the HAR 1.2 schema.
func Validate(t testing.TB, doc []byte) {
	t.Helper()
	if err := Check(doc); err != nil {
		t.Error(err)
	}
}

// Check reports every place doc breaks the HAR 1.2 schema, or nil. The
// schema is draft-06, whose "format" keywords (date-time, uri) are
// assertions, so startedDateTime and request.url are checked as well.
func Check(doc []byte) error {
	schema, err := compile()
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("HAR is not JSON: %w", err)
	}
	if err := schema.Validate(inst); err != nil {
		return fmt.Errorf("HAR does not validate against har-schema: %w", err)
	}
	return nil
}

// compile loads har.json and the files it refers to from the schema folder
// beside this package, found through this file's own path so that a test of
// any package can use it.
func compile() (*jsonschema.Schema, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return nil, errors.New("hartest: cannot find its own source file")
	}
	root := filepath.Join(filepath.Dir(file), "..", "testdata", "har-schema", "har.json")
	schema, err := jsonschema.NewCompiler().Compile(root)
	if err != nil {
		return nil, fmt.Errorf("hartest: compile %s: %w", root, err)
	}
	return schema, nil
}
