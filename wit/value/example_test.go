package value_test

import (
	"fmt"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

func Example() {
	line := &wit.Type{Kind: wit.Record, Name: "line", Fields: []wit.Field{
		{Name: "sku", Type: wit.Prim(wit.String)},
		{Name: "qty", Type: wit.Prim(wit.U32)},
		{Name: "note", Type: &wit.Type{Kind: wit.Option, Elem: wit.Prim(wit.String)}},
	}}
	v, err := value.ParseWAVE(`{qty: 2, sku: "A-1"}`, line)
	if err != nil {
		panic(err)
	}
	w, _ := value.FormatWAVE(v, line)
	j, _ := value.FormatJSON(v, line)
	fmt.Println(w)
	fmt.Println(string(j))

	// The new build widens qty and adds an optional field.
	line2 := &wit.Type{Kind: wit.Record, Name: "line", Fields: []wit.Field{
		{Name: "sku", Type: wit.Prim(wit.String)},
		{Name: "qty", Type: wit.Prim(wit.U64)},
		{Name: "note", Type: &wit.Type{Kind: wit.Option, Elem: wit.Prim(wit.String)}},
		{Name: "gift", Type: &wit.Type{Kind: wit.Option, Elem: wit.Prim(wit.Bool)}},
	}}
	c := value.CheckTypes(line, line2)
	fmt.Println(c.OK)
	for _, s := range c.Conversions {
		fmt.Printf("%s %s: %s\n", s.Code, s.Path, s.Message)
	}
	v2, _ := value.Convert(v, line, line2)
	w2, _ := value.FormatWAVE(v2, line2)
	fmt.Println(w2)
	// Output:
	// {sku: "A-1", qty: 2}
	// {"sku":"A-1","qty":2,"note":null}
	// true
	// int-widen .field(qty): u32 widens to u64.
	// record-field-added .field(gift): Field gift of type option<bool> was added; old values get none.
	// {sku: "A-1", qty: 2}
}

func ExampleConvertReport() {
	v, _, _ := value.ConvertReport(value.U32(7), wit.Prim(wit.U32), wit.Prim(wit.U16))
	_, c, err := value.ConvertReport(value.U32(7), wit.Prim(wit.U32), wit.Prim(wit.U16))
	fmt.Println(v, c.OK, err, c.Problems[0].Code)
	_, _, err = value.ConvertReport(value.U32(70000), wit.Prim(wit.U32), wit.Prim(wit.U16))
	fmt.Println(err)
	// Output:
	// 7 false <nil> int-narrow
	// value: convert (top): 70000 does not fit u16
}
