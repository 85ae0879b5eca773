package eventlog

import (
	"strings"

	"github.com/wfcompat/wfcompat/internal/editdist"
	"github.com/wfcompat/wfcompat/wit"
)

// FunctionNames lists the qualified names of the functions among items
// (a world's imports or exports): "golem:component/api#f1" for a function
// of an interface, the plain name for a world-level function.
func FunctionNames(items []*wit.Item) []string {
	var names []string
	for _, it := range items {
		switch {
		case it.Kind == wit.ItemFunction && it.Function != nil:
			names = append(names, it.Name)
		case it.Kind == wit.ItemInterface && it.Interface != nil:
			for _, f := range it.Interface.Functions {
				names = append(names, JoinName(it.Name, f.Name))
			}
		}
	}
	return names
}

// Suggest returns the name among known nearest to name, for a "did you
// mean" hint, or "" when none is near enough. Versions are ignored. The
// function parts must be near — an edit distance of at most a third of
// the length, at least 2, and less than the whole length — and, when name
// has an interface part, so must the interfaces (at most a sixth, at
// least 2); a bare function name ("f1") is matched against the function
// parts alone. Ties go to the first name in known.
func Suggest(name string, known []string) string {
	if len(known) == 0 || len(name) > 1024 {
		return ""
	}
	wi, wf := splitUnversioned(name)
	fnLimit := min(max(2, len(wf)/3), len(wf)-1)
	ifaceLimit := max(2, len(wi)/6)
	var d editdist.Distancer
	best, bestD := "", -1
	for _, k := range known {
		if k == name {
			continue
		}
		ki, kf := splitUnversioned(k)
		if abs(len(wf)-len(kf)) > fnLimit || wi != "" && abs(len(wi)-len(ki)) > ifaceLimit {
			continue // the distance is at least the difference in length
		}
		fd := d.Distance(wf, kf)
		if fd > fnLimit {
			continue
		}
		if wi != "" {
			id := d.Distance(wi, ki)
			if id > ifaceLimit {
				continue
			}
			fd += id
		}
		if bestD < 0 || fd < bestD {
			best, bestD = k, fd
		}
	}
	return best
}

// splitUnversioned splits a qualified name into its interface without
// version and its function: "wasi:clocks/wall-clock@0.2.0#now" gives
// ("wasi:clocks/wall-clock", "now").
func splitUnversioned(name string) (iface, fn string) {
	iface, fn = SplitName(name)
	if i := strings.IndexByte(iface, '@'); i >= 0 {
		iface = iface[:i]
	}
	return iface, fn
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
