package value

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/wit"
)

// The benchmark value: an order of 100 lines, about 6 KB of WAVE.
var (
	benchLine = named("line", recordOf(
		field("sku", tyString),
		field("qty", tyU32),
		field("price", tyF64),
		field("tags", listOf(tyString)),
		field("discount", optionOf(tyF32)),
		field("state", named("state", enumOf("open", "shipped", "cancelled"))),
	))
	benchOrder = named("order", recordOf(
		field("id", tyU64),
		field("customer", tyString),
		field("lines", listOf(benchLine)),
		field("result", resultOf(tyU32, tyString)),
	))
	// benchOrderV2 widens qty and price-adjacent fields, adds an option field
	// and an enum case: every line needs converting.
	benchOrderV2 = named("order", recordOf(
		field("id", tyU64),
		field("customer", tyString),
		field("lines", listOf(named("line", recordOf(
			field("sku", tyString),
			field("qty", tyU64),
			field("price", tyF64),
			field("tags", listOf(tyString)),
			field("discount", optionOf(tyF64)),
			field("state", named("state", enumOf("open", "held", "shipped", "cancelled"))),
			field("note", optionOf(tyString)),
		)))),
		field("result", resultOf(tyU64, tyString)),
	))
)

func benchWAVE() string {
	var b strings.Builder
	b.WriteString(`{id: 12345678901, customer: "ACME \"Widgets\" Ltd.", lines: [`)
	for i := range 100 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `{sku: "SKU-%05d", qty: %d, price: %d.25, tags: ["a", "b\n"], discount: some(0.5), state: shipped}`, i, i*3, i)
	}
	b.WriteString(`], result: ok(7)}`)
	return b.String()
}

func BenchmarkParseWAVE(b *testing.B) {
	src := benchWAVE()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseWAVE(src, benchOrder); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormatWAVE(b *testing.B) {
	v, err := ParseWAVE(benchWAVE(), benchOrder)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		if buf, err = AppendWAVE(buf[:0], v, benchOrder); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkParseJSON(b *testing.B) {
	v, err := ParseWAVE(benchWAVE(), benchOrder)
	if err != nil {
		b.Fatal(err)
	}
	src, err := FormatJSON(v, benchOrder)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseJSON(src, benchOrder); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkConvert(b *testing.B) {
	v, err := ParseWAVE(benchWAVE(), benchOrder)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		new  *wit.Type
	}{{"identical", benchOrder}, {"widen", benchOrderV2}} {
		b.Run(bc.name+"/Convert", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Convert(v, benchOrder, bc.new); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bc.name+"/Converter", func(b *testing.B) {
			c := NewConverter(benchOrder, bc.new)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Convert(v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
