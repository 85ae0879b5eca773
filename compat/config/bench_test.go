package config

import "testing"

// BenchmarkParse reads a full configuration (every key, audited ignore
// entries): the YAML is decoded twice, once as nodes for the key check
// and once into the struct.
func BenchmarkParse(b *testing.B) {
	src := []byte(`version: v1
platform: golem-automatic
modes: [api, restart, replay]
require_proof: false
except: [DOCS_CHANGED]
ignore:
  - wasi:http/types
  - rule: SNAPSHOT_LOAD_MISSING
    subject: golem:api/load-snapshot
    reason: we update automatically
    until: 2027-03-31
  - rule: PARAM_RENAMED
    subject: golem:component/api#f1
ignore_only:
  IMPORT_ADDED: [golem:api/host]
severity:
  TYPE_RENAMED: info
callback_imports: [env.register_callback:0]
host_provides: ['acme:billing/*@1.2.0']
`)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("wfcompat.yaml", src, nil); err != nil {
			b.Fatal(err)
		}
	}
}
