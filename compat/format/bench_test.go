package format

import (
	"bytes"
	"testing"
)

// BenchmarkWrite renders a large report (2,000 findings of 25 rules, as a
// big component's first diff might give) in every format. SetBytes is the
// output size.
func BenchmarkWrite(b *testing.B) {
	r := manyReport(25, 80, 0)
	for _, f := range Formats() {
		b.Run(f, func(b *testing.B) {
			var buf bytes.Buffer
			if err := Write(&buf, f, r, Options{Hostname: "h"}); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(buf.Len()))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				buf.Reset()
				if err := Write(&buf, f, r, Options{Hostname: "h"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
