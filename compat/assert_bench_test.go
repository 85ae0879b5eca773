package compat

import (
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/eventlog"
)

// BenchmarkAssertEventLog checks a 10,000-event log (invocations with
// their import calls) against the new shop build, typed by the old one.
func BenchmarkAssertEventLog(b *testing.B) {
	benchAssertLog(b)
}

func benchAssertLog(b *testing.B) {
	old, new := assertWorlds()
	lines := make([]string, 0, 10001)
	for i := 0; i < 2500; i++ {
		lines = append(lines,
			`{"type":"invoke","function":"shop:api/cart@1.0.0#add","params":"(\"apple\", 3)","result":"1"}`,
			`{"type":"import","function":"wasi:clocks/wall-clock@0.2.0#now","params":"()","result":"{seconds: 5, nanoseconds: 6}"}`,
			`{"type":"import","function":"acme:kv/store@1.0.0#get","params":"(\"k\")","result":"some(7)"}`,
			`{"type":"invoke","function":"shop:api/cart@1.0.0#set-limit","params":"(7)","result":""}`)
	}
	log := logText(&testing.T{}, eventlog.Header{SHA256: oldSHA, VersionID: "v1"}, lines...)
	b.SetBytes(int64(len(log)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := AssertEventLog(eventlog.NewReader(strings.NewReader(log), "LOG"), LogOptions{Old: old, New: new, NewSHA256: newSHA})
		if err != nil || !r.OK {
			b.Fatalf("%v %+v", err, r)
		}
	}
}
