package component

import (
	"errors"
	"fmt"
)

// Core modules are linked by renaming their imports: every import
// (module, field) is rewritten to the wazero instance and export name that
// provides the item, so no import resolver and no module named "" is ever
// needed (wazero refuses both).

// coreImport is one import of a core module.
type coreImport struct {
	Module, Name string
	Kind         byte // 0 func, 1 table, 2 memory, 3 global, 4 tag
	desc         []byte
}

// coreExport is one export of a core module.
type coreExport struct {
	Name  string
	Kind  byte
	Index uint32
}

// coreModule is a core module embedded in a component, scanned for its
// imports and exports.
type coreModule struct {
	bytes   []byte
	off     int64 // offset of the module in the component binary
	imports []coreImport
	exports []coreExport
	// impStart and impEnd delimit the import section (id byte to end);
	// both 0 when the module has none (impAt says where one goes).
	impStart, impEnd, impAt int
	// memories counts the memories the module imports and defines.
	memories int
}

var errShort = errors.New("unexpected end of module")

type cur struct {
	b []byte
	p int
}

func (c *cur) byte() (byte, error) {
	if c.p >= len(c.b) {
		return 0, errShort
	}
	c.p++
	return c.b[c.p-1], nil
}

func (c *cur) u32() (uint32, error) {
	var v uint32
	var s uint
	for i := 0; i < 5; i++ {
		b, err := c.byte()
		if err != nil {
			return 0, err
		}
		v |= uint32(b&0x7f) << s
		if b&0x80 == 0 {
			return v, nil
		}
		s += 7
	}
	return 0, errors.New("LEB128 too long")
}

func (c *cur) name() (string, error) {
	n, err := c.u32()
	if err != nil {
		return "", err
	}
	if uint64(n) > uint64(len(c.b)-c.p) {
		return "", errShort
	}
	s := string(c.b[c.p : c.p+int(n)])
	c.p += int(n)
	return s, nil
}

func (c *cur) limits() error {
	flag, err := c.byte()
	if err != nil {
		return err
	}
	if _, err := c.u32(); err != nil {
		return err
	}
	if flag&1 != 0 {
		if _, err := c.u32(); err != nil {
			return err
		}
	}
	if flag&0x04 != 0 {
		return errors.New("memory64 is not supported")
	}
	return nil
}

func (c *cur) reftype() error {
	b, err := c.byte()
	if err != nil {
		return err
	}
	if b == 0x63 || b == 0x64 {
		_, err = c.s33()
	}
	return err
}

func (c *cur) s33() (int64, error) {
	var v int64
	var s uint
	for i := 0; i < 5; i++ {
		b, err := c.byte()
		if err != nil {
			return 0, err
		}
		v |= int64(b&0x7f) << s
		s += 7
		if b&0x80 == 0 {
			if s < 64 && b&0x40 != 0 {
				v |= -1 << s
			}
			return v, nil
		}
	}
	return 0, errors.New("LEB128 too long")
}

// scanCore reads the import and export sections of a core module.
func scanCore(b []byte, off int64) (*coreModule, error) {
	m := &coreModule{bytes: b, off: off}
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return nil, fmt.Errorf("core module at offset 0x%x: bad magic", off)
	}
	c := &cur{b: b, p: 8}
	m.impAt = 8
	for c.p < len(b) {
		start := c.p
		id, _ := c.byte()
		size, err := c.u32()
		if err != nil {
			return nil, fmt.Errorf("core module at offset 0x%x: section header at 0x%x: %w", off, start, err)
		}
		if uint64(size) > uint64(len(b)-c.p) {
			return nil, fmt.Errorf("core module at offset 0x%x: section at 0x%x: %w", off, start, errShort)
		}
		end := c.p + int(size)
		sc := &cur{b: b[:end], p: c.p}
		switch id {
		case 1: // type section: imports go after it
			m.impAt = end
		case 2:
			m.impStart, m.impEnd = start, end
			if err := m.scanImports(sc); err != nil {
				return nil, fmt.Errorf("core module at offset 0x%x: import section: %w", off, err)
			}
		case 5:
			n, err := sc.u32()
			if err != nil {
				return nil, fmt.Errorf("core module at offset 0x%x: memory section: %w", off, err)
			}
			m.memories += int(n)
		case 7:
			if err := m.scanExports(sc); err != nil {
				return nil, fmt.Errorf("core module at offset 0x%x: export section: %w", off, err)
			}
		}
		c.p = end
	}
	return m, nil
}

func (m *coreModule) scanImports(c *cur) error {
	n, err := c.u32()
	if err != nil {
		return err
	}
	for i := uint32(0); i < n; i++ {
		var im coreImport
		if im.Module, err = c.name(); err != nil {
			return err
		}
		if im.Name, err = c.name(); err != nil {
			return err
		}
		ds := c.p
		if im.Kind, err = c.byte(); err != nil {
			return err
		}
		switch im.Kind {
		case 0:
			_, err = c.u32()
		case 1:
			if err = c.reftype(); err == nil {
				err = c.limits()
			}
		case 2:
			err = c.limits()
		case 3:
			if err = c.reftype(); err == nil {
				_, err = c.byte()
			}
		case 4:
			if _, err = c.byte(); err == nil {
				_, err = c.u32()
			}
		default:
			err = fmt.Errorf("unknown import kind 0x%02x", im.Kind)
		}
		if err != nil {
			return err
		}
		im.desc = c.b[ds:c.p]
		if im.Kind == 2 {
			m.memories++
		}
		m.imports = append(m.imports, im)
	}
	return nil
}

func (m *coreModule) scanExports(c *cur) error {
	n, err := c.u32()
	if err != nil {
		return err
	}
	for i := uint32(0); i < n; i++ {
		var ex coreExport
		if ex.Name, err = c.name(); err != nil {
			return err
		}
		if ex.Kind, err = c.byte(); err != nil {
			return err
		}
		if ex.Index, err = c.u32(); err != nil {
			return err
		}
		m.exports = append(m.exports, ex)
	}
	return nil
}

func appendU32(b []byte, v uint32) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}

func appendName(b []byte, s string) []byte {
	return append(appendU32(b, uint32(len(s))), s...)
}

// link returns the module's bytes with import i renamed to targets[i].
func (m *coreModule) link(targets []coreRef) []byte {
	if len(m.imports) == 0 {
		return m.bytes
	}
	var body []byte
	body = appendU32(body, uint32(len(m.imports)))
	for i, im := range m.imports {
		body = appendName(body, targets[i].mod)
		body = appendName(body, targets[i].name)
		body = append(body, im.desc...)
	}
	out := make([]byte, 0, len(m.bytes)+len(body)-(m.impEnd-m.impStart)+8)
	out = append(out, m.bytes[:m.impStart]...)
	out = append(out, 2)
	out = appendU32(out, uint32(len(body)))
	out = append(out, body...)
	out = append(out, m.bytes[m.impEnd:]...)
	return out
}
