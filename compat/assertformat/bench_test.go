package assertformat

import (
	"bytes"
	"testing"
)

// BenchmarkWrite renders a report of 1,000 incompatible logs in every
// format.
func BenchmarkWrite(b *testing.B) {
	doc := many(1000)
	for _, f := range Formats() {
		b.Run(f, func(b *testing.B) {
			var buf bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := Write(&buf, f, doc, testOpts); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(buf.Len()))
		})
	}
}
