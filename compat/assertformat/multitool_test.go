package assertformat

import (
	"fmt"
	"testing"

	"github.com/wfcompat/wfcompat/internal/schematest"
)

// TestSARIFMultitool runs the SARIF Multitool's validator with its SARIF
// and GitHub (GH) rule sets on the SARIF output of every test report and
// path case: no error may remain (see schematest.ValidateSARIF; the test
// skips, saying so, without the Multitool).
func TestSARIFMultitool(t *testing.T) {
	docs := map[string][]byte{}
	for name, doc := range reports() {
		docs[name] = render(t, SARIF, doc)
	}
	for i, c := range pathCases() {
		docs[fmt.Sprintf("path-%d", i)] = render(t, SARIF, c.doc)
	}
	schematest.ValidateSARIF(t, docs)
}
