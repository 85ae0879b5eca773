package junit

import (
	"bytes"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	empty, typ := "", "t"
	s := Suite{Name: "n", Tests: 4, Failures: 1, Errors: 1, Skipped: 1, Time: "0.000",
		Properties: Properties{Property: []Property{{Name: "k", Value: "a<b"}}},
		Cases: []Case{
			{Classname: "c", Name: "pass", Time: "0"},
			{Classname: "c", Name: "fail", Time: "0", Failure: &Outcome{Message: "m", Type: &empty, Text: "x\ny"}},
			{Classname: "c", Name: "error", Time: "0", Error: &Outcome{Message: "m", Type: &typ, CDATA: "x\ny]]>z"}},
			{Classname: "c", Name: "skip", Time: "0", Skipped: &Outcome{Message: "m"}},
		},
		SystemOut: Text{CDATA: "out\n"},
		SystemErr: Text{Text: "a&b\n"},
	}
	var b bytes.Buffer
	if err := Write(&b, &s); err != nil {
		t.Fatal(err)
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="n" timestamp="" hostname="" tests="4" failures="1" errors="1" skipped="1" time="0.000">
  <properties>
    <property name="k" value="a&lt;b"></property>
  </properties>
  <testcase classname="c" name="pass" time="0"></testcase>
  <testcase classname="c" name="fail" time="0">
    <failure message="m" type="">x&#xA;y</failure>
  </testcase>
  <testcase classname="c" name="error" time="0">
    <error message="m" type="t"><![CDATA[x
y]]]]><![CDATA[>z]]></error>
  </testcase>
  <testcase classname="c" name="skip" time="0">
    <skipped message="m"></skipped>
  </testcase>
  <system-out><![CDATA[out
]]></system-out>
  <system-err>a&amp;b&#xA;</system-err>
</testsuite>
`
	if got := b.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestClassPart(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "none"},
		{"build/v2.wasm", "build_v2_wasm"},
		{"a-b_C9", "a-b_C9"},
		{"é x", "__x"},
	} {
		if got := ClassPart(c.in); got != c.want {
			t.Errorf("ClassPart(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if strings.ContainsAny(ClassPart("a.b c/d"), ". /") {
		t.Error("separators kept")
	}
}
