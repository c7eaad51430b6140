package ref

import (
	"bytes"
	"io"
	"sync"
)

// Concealed is what a secret in a command's output is replaced with.
const Concealed = "<concealed by keytray>"

// Masker is a writer that replaces every secret it is given with Concealed
// before passing the output on, also when a secret arrives split across
// writes: it holds back at most len(longest secret)-1 bytes that could be the
// start of one, and Close writes them out. Safe for concurrent use.
type Masker struct {
	mu      sync.Mutex
	w       io.Writer
	secrets [][]byte
	longest int
	pending []byte
	err     error
}

// NewMasker masks secrets (empty ones are ignored) in what is written to w.
func NewMasker(w io.Writer, secrets []string) *Masker {
	m := &Masker{w: w}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		m.secrets = append(m.secrets, []byte(s))
		m.longest = max(m.longest, len(s))
	}
	return m
}

// Write masks p and passes on everything that can no longer be part of a
// secret. It reports len(p) written unless the underlying writer failed.
func (m *Masker) Write(p []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return 0, m.err
	}
	if len(m.secrets) == 0 {
		_, m.err = m.w.Write(p)
		return len(p), m.err
	}
	m.pending = append(m.pending, p...)
	out, keep := m.mask(m.pending, false)
	if len(out) > 0 {
		if _, m.err = m.w.Write(out); m.err != nil {
			return 0, m.err
		}
	}
	m.pending = append(m.pending[:0], keep...)
	return len(p), nil
}

// Close writes out what was held back (masked). It does not close the
// underlying writer.
func (m *Masker) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil || len(m.pending) == 0 {
		return m.err
	}
	out, _ := m.mask(m.pending, true)
	m.pending = m.pending[:0]
	_, m.err = m.w.Write(out)
	return m.err
}

// mask replaces the secrets in buf. Unless final, a tail that is a proper
// prefix of some secret is returned as keep, to be completed by the next write.
func (m *Masker) mask(buf []byte, final bool) (out, keep []byte) {
	var b bytes.Buffer
	i := 0
	for i < len(buf) {
		// Wait first: what is here may be the start of a longer secret.
		if !final && m.couldStart(buf[i:]) {
			return b.Bytes(), buf[i:]
		}
		if n := m.matchAt(buf[i:]); n > 0 {
			b.WriteString(Concealed)
			i += n
			continue
		}
		// Copy up to the next byte that starts some secret.
		j := i + 1
		for j < len(buf) && !m.firstByte(buf[j]) {
			j++
		}
		b.Write(buf[i:j])
		i = j
	}
	return b.Bytes(), nil
}

// matchAt is the length of the longest secret buf starts with, or 0.
func (m *Masker) matchAt(buf []byte) int {
	n := 0
	for _, s := range m.secrets {
		if len(s) > n && bytes.HasPrefix(buf, s) {
			n = len(s)
		}
	}
	return n
}

// couldStart reports whether buf (shorter than some secret) is the start of one.
func (m *Masker) couldStart(buf []byte) bool {
	if len(buf) >= m.longest {
		return false
	}
	for _, s := range m.secrets {
		if len(buf) < len(s) && bytes.HasPrefix(s, buf) {
			return true
		}
	}
	return false
}

func (m *Masker) firstByte(c byte) bool {
	for _, s := range m.secrets {
		if s[0] == c {
			return true
		}
	}
	return false
}
