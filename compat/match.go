package compat

import (
	"strings"

	"github.com/wfcompat/wfcompat/wit"
)

// How versions take part in matching.
//
// Items are matched by kind and by name without version
// ("golem:api/save-snapshot"), one old item to at most one new item. An
// item with exactly the same name (version included) is preferred; failing
// that, one whose version satisfies the old one under Component Model host
// matching (wit.SemverCompatible: 1.1.0 satisfies 1.0.0, 0.2.1 satisfies
// 0.2.0, 0.3.0 does not); failing that, any version. The contents of a
// matched pair are always compared, whatever the versions, so every
// difference is reported; the version change itself is a finding of its own
// (EXPORT_VERSION_CHANGED, EXPORT_VERSION_INCOMPATIBLE, IMPORT_VERSION_CHANGED).

// itemPair is an old item and the new item matched to it (nil if none).
type itemPair struct {
	old, new *wit.Item
}

// matchItems pairs olds with news. It returns a pair for every old item in
// order, and the new items no old item matched, in order.
func matchItems(olds, news []*wit.Item) (pairs []itemPair, added []*wit.Item) {
	pairs = make([]itemPair, len(olds))
	taken := make([]bool, len(news))
	for i, o := range olds {
		pairs[i].old = o
	}
	// The matching keys of the new items, split once: the unversioned name
	// and the version (wit.ParseQName's, without its allocations).
	nkeys := make([]matchKey, len(news))
	for j, n := range news {
		nkeys[j] = newMatchKey(n)
	}
	// Three passes, best match first, so that an exact match elsewhere in
	// the list is never stolen by a looser match of an earlier old item.
	for pass := 0; pass < 3; pass++ {
		for i := range pairs {
			if pairs[i].new != nil {
				continue
			}
			o := pairs[i].old
			ok := newMatchKey(o)
			for j, n := range news {
				if taken[j] || n.Kind != o.Kind {
					continue
				}
				nk := nkeys[j]
				var match bool
				switch pass {
				case 0:
					match = nk.key == ok.key
				case 1:
					match = nk.unversioned == ok.unversioned && wit.SemverCompatible(nk.version, ok.version)
				default:
					match = nk.unversioned == ok.unversioned
				}
				if match {
					pairs[i].new = n
					taken[j] = true
					break
				}
			}
		}
	}
	for j, n := range news {
		if !taken[j] {
			added = append(added, n)
		}
	}
	return pairs, added
}

// matchKey is an item's itemKey, split at its last '@' as wit.ParseQName
// splits it: Unversioned() of the parsed name and its Version.
type matchKey struct{ key, unversioned, version string }

func newMatchKey(it *wit.Item) matchKey {
	k := matchKey{key: itemKey(it)}
	k.unversioned = wit.UnversionedName(k.key)
	if at := strings.LastIndexByte(k.key, '@'); at >= 0 {
		k.version = k.key[at+1:]
	}
	return k
}

// itemKey is the name an item is matched by: its name, without the async
// mark for functions.
func itemKey(it *wit.Item) string {
	if it.Kind == wit.ItemFunction {
		return funcKey(it.Name)
	}
	return it.Name
}

// funcKey is the name a function is matched by. Component Model names of
// async functions carry an "[async]" mark ("[async]f", "[async method]r.f")
// that is the Async flag again; a function turning async is the same
// function, with FUNCTION_ASYNC_CHANGED.
func funcKey(name string) string {
	if !strings.HasPrefix(name, "[async") {
		return name
	}
	for _, p := range [][2]string{{"[async]", ""}, {"[async method]", "[method]"}, {"[async static]", "[static]"}} {
		if rest, ok := strings.CutPrefix(name, p[0]); ok {
			return p[1] + rest
		}
	}
	return name
}

// lookupFunc returns the function of i matched to name by funcKey, or nil.
func lookupFunc(i *wit.Interface, name string) *wit.Function {
	key := funcKey(name)
	for _, f := range i.Functions {
		if funcKey(f.Name) == key {
			return f
		}
	}
	return nil
}

// worldOwner is the subject prefix of world-level functions and types.
const worldOwner = "world"

// itemSubject is the subject of a world item: the interface name (with
// version), or "world#name" for world-level functions and types.
func itemSubject(it *wit.Item) string {
	if it.Kind == wit.ItemInterface {
		return it.Name
	}
	return worldOwner + "#" + itemKey(it)
}

// ownerSubject is the subject prefix for things an interface (or the world,
// owner "") defines.
func ownerSubject(owner string) string {
	if owner == "" {
		return worldOwner
	}
	return owner
}

// itemWIT renders an item for a finding's Old or New: interfaces by name
// ("export golem:component/api;"; their functions have findings of their
// own), functions and types in full.
func itemWIT(it *wit.Item, keyword string) string {
	if it == nil {
		return ""
	}
	if it.Kind == wit.ItemInterface {
		return keyword + " " + it.Name + ";"
	}
	return it.WIT(keyword, "")
}
