package witparse

// cycleError reports a cycle among the interfaces and worlds of p where
// wit-parser reports it: it sorts them topologically (source order among
// the ready ones) and, when some are left, names the first dependency of
// the first one left, at its declaration.
func (r *resolver) cycleError(p *pkg) error {
	type node struct {
		name  ident
		file  *srcFile
		edges []int
	}
	var nodes []*node
	index := map[any]int{}
	for _, fs := range p.files {
		for _, it := range fs.items {
			switch it := it.(type) {
			case *astInterface:
				index[p.ifaces.lookup(it.name.name)] = len(nodes)
				nodes = append(nodes, &node{name: it.name, file: fs.file})
			case *astWorld:
				index[p.worlds.lookup(it.name.name)] = len(nodes)
				nodes = append(nodes, &node{name: it.name, file: fs.file})
			}
		}
	}
	local := func(fs *fileScope, path *usePath) (int, bool) {
		if path == nil || path.pkg != nil {
			return 0, false
		}
		var target any
		if n, ok := fs.names.get(path.name.name); ok {
			if n.iface != nil {
				target = n.iface
			} else {
				target = n.world
			}
		} else if in, ok := p.ifaces.get(path.name.name); ok {
			target = in
		} else if w, ok := p.worlds.get(path.name.name); ok {
			target = w
		}
		i, ok := index[target]
		return i, ok
	}
	for _, fs := range p.files {
		for _, it := range fs.items {
			var n *node
			var refs []*usePath
			ifaceRefs := func(items []any) {
				for _, x := range items {
					if u, ok := x.(*astUse); ok {
						refs = append(refs, &u.path)
					}
				}
			}
			switch it := it.(type) {
			case *astInterface:
				n = nodes[index[p.ifaces.lookup(it.name.name)]]
				ifaceRefs(it.items)
			case *astWorld:
				n = nodes[index[p.worlds.lookup(it.name.name)]]
				for _, wi := range it.items {
					refs = append(refs, wi.path)
					if wi.use != nil {
						refs = append(refs, &wi.use.path)
					}
					if wi.iface != nil {
						ifaceRefs(wi.iface.items)
					}
				}
			default:
				continue
			}
			for _, ref := range refs {
				if j, ok := local(fs, ref); ok {
					n.edges = append(n.edges, j)
				}
			}
		}
	}
	remaining := make([]int, len(nodes))
	rdeps := make([][]int, len(nodes))
	for i, n := range nodes {
		remaining[i] = len(n.edges)
		for _, j := range n.edges {
			rdeps[j] = append(rdeps[j], i)
		}
	}
	h := &intHeap{}
	for i := range nodes {
		if remaining[i] == 0 {
			h.Push(i)
		}
	}
	for h.Len() > 0 {
		i := (*h)[0]
		*h = (*h)[1:]
		for _, j := range rdeps[i] {
			remaining[j]--
			if remaining[j] == 0 {
				*h = append(*h, j)
			}
		}
	}
	for i, n := range nodes {
		if remaining[i] == 0 {
			continue
		}
		for _, j := range n.edges {
			if remaining[j] > 0 {
				d := nodes[j]
				return d.file.errorf(int(d.name.pos), "interface or world `%s` depends on itself", d.name.name)
			}
		}
	}
	return nil
}
