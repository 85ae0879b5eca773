package sarif

import (
	"bytes"
	"testing"
)

func TestVersions(t *testing.T) {
	for _, c := range []struct{ in, version, semantic string }{
		{"v0.4.0", "0.4.0", "0.4.0"},
		{"(devel)", "(devel)", ""},
		{"v", "v", ""},
		{"vx", "vx", ""},
		{"", "", ""},
	} {
		if v, s := Versions(c.in); v != c.version || s != c.semantic {
			t.Errorf("Versions(%q) = %q, %q, want %q, %q", c.in, v, s, c.version, c.semantic)
		}
	}
}

func TestFingerprint(t *testing.T) {
	// printf 'a\0b' | sha256sum, the first 32 hex digits.
	if got, want := Fingerprint("a", "b"), "59b271ae1bbcb1d31d41929817f4b16f"; got != want {
		t.Errorf("Fingerprint = %s, want %s", got, want)
	}
	if Fingerprint("a", "b") == Fingerprint("ab") || Fingerprint("a", "b") == Fingerprint("b", "a") {
		t.Error("fingerprint must keep the parts apart")
	}
}

func TestWrite(t *testing.T) {
	empty := ""
	run := struct {
		Tool    Tool     `json:"tool"`
		Results []Result `json:"results"`
	}{
		Tool: Tool{Driver: Driver{Name: "t", InformationURI: "https://x", Rules: []Rule{
			{ID: "a", Name: Optional("")},
			{ID: "b", Name: &empty, Help: &Help{Text: "<b>"}},
		}}},
		Results: []Result{{RuleID: "a", Level: "note", Message: Message{Text: "m & n"}, Locations: []Location{},
			PartialFingerprints: map[string]string{}}},
	}
	var b bytes.Buffer
	if err := Write(&b, run); err != nil {
		t.Fatal(err)
	}
	want := `{
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "version": "2.1.0",
  "runs": [
    {
      "tool": {
        "driver": {
          "name": "t",
          "informationUri": "https://x",
          "rules": [
            {
              "id": "a",
              "shortDescription": {
                "text": ""
              },
              "fullDescription": {
                "text": ""
              }
            },
            {
              "id": "b",
              "name": "",
              "shortDescription": {
                "text": ""
              },
              "fullDescription": {
                "text": ""
              },
              "help": {
                "text": "<b>"
              }
            }
          ]
        }
      },
      "results": [
        {
          "ruleId": "a",
          "ruleIndex": 0,
          "level": "note",
          "message": {
            "text": "m & n"
          },
          "locations": [],
          "partialFingerprints": {}
        }
      ]
    }
  ]
}
`
	if got := b.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
