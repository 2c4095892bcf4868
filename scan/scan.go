// Package scan searches data for known secret values: raw and in the encodings tools write them in
// (base64 at all three alignments, URL-encoding, hex, JSON escaping). All encodings of all values
// are searched for in one pass.
//
// A Scanner is built once from the values (New) and is safe for concurrent use.
package scan

import (
	"io"
	"slices"
	"sync"
)

// DefaultMinLength is the shortest value searched for when Options.MinLength is 0: shorter values
// would match by chance.
const DefaultMinLength = 8

// Secret is a value to search for; ID names it in reports (never the value).
type Secret struct {
	ID    string
	Value []byte
}

// Options configure New.
type Options struct {
	// MinLength is the length of the shortest value searched for; shorter values are skipped. Encoded
	// texts shorter than half of it are not searched for either. 0 means DefaultMinLength.
	MinLength int
}

// Skipped is a secret not searched for: its value is empty or shorter than the minimum length.
type Skipped struct {
	ID     string
	Length int
}

// Match is a place where a secret's value is, in one encoding.
type Match struct {
	ID string
	// Encoding is how the value is written there: Raw, Base64, Base64URL, URLEncoded, Hex or
	// JSONEscaped.
	Encoding string
	// Offset is where the encoded text starts.
	Offset int64
}

// owner is a secret and an encoding that a needle is the text of.
type owner struct {
	secret   int32
	encoding int32 // index into Scanner.encodings
}

// needle is one text searched for.
type needle struct {
	text   []byte
	owners []owner
}

// Scanner searches for the encodings of a set of secret values.
type Scanner struct {
	ids       []string // of the searched secrets
	encodings []string // names of the owners' encodings
	needles   []needle
	maxLen    int // of the needles
	table     *table
	pairs     int // number of distinct (secret, encoding) owners

	bufs sync.Pool // of *[]byte, Reader's buffers
}

// New returns a Scanner for the secrets, and the secrets it skips: those with a value shorter than
// the minimum length (empty ones included).
func New(secrets []Secret, opt Options) (*Scanner, []Skipped) {
	minLen := opt.MinLength
	if minLen <= 0 {
		minLen = DefaultMinLength
	}
	minNeedle := max(1, minLen/2)
	s := &Scanner{}
	var skipped []Skipped
	byText := map[string]int{}
	encIndex := map[string]int32{}
	for _, sec := range secrets {
		if len(sec.Value) < minLen {
			skipped = append(skipped, Skipped{ID: sec.ID, Length: len(sec.Value)})
			continue
		}
		si := int32(len(s.ids))
		s.ids = append(s.ids, sec.ID)
		for _, e := range encodings(sec.Value) {
			if len(e.text) < minNeedle {
				continue
			}
			ei, ok := encIndex[e.encoding]
			if !ok {
				ei = int32(len(s.encodings))
				encIndex[e.encoding] = ei
				s.encodings = append(s.encodings, e.encoding)
			}
			i, ok := byText[string(e.text)]
			if !ok {
				i = len(s.needles)
				byText[string(e.text)] = i
				s.needles = append(s.needles, needle{text: slices.Clone(e.text)})
				s.maxLen = max(s.maxLen, len(e.text))
			}
			n := &s.needles[i]
			// The same text in an earlier encoding of the same secret names it.
			if slices.ContainsFunc(n.owners, func(o owner) bool { return o.secret == si }) {
				continue
			}
			n.owners = append(n.owners, owner{secret: si, encoding: ei})
		}
	}
	if len(s.needles) > 0 {
		shortest := s.maxLen
		for _, n := range s.needles {
			shortest = min(shortest, len(n.text))
		}
		s.table = buildTable(s.needles, shortest)
	}
	return s, skipped
}

// Empty reports whether the Scanner searches for nothing.
func (s *Scanner) Empty() bool { return len(s.needles) == 0 }

// MaxLen returns the length of the longest text searched for: a stream searched in pieces must
// search the last MaxLen()-1 bytes of a piece again with the next one.
func (s *Scanner) MaxLen() int { return s.maxLen }

// firsts records the first place of each needle found.
type firsts struct {
	at    []int64 // by needle; -1 when not found
	found int     // needles found
}

func (s *Scanner) newFirsts() *firsts {
	f := &firsts{at: make([]int64, len(s.needles))}
	for i := range f.at {
		f.at[i] = -1
	}
	return f
}

// matches returns the first match of each secret in each encoding, by offset, then by the order of
// the secrets and the encodings.
func (s *Scanner) matches(f *firsts) []Match {
	if f.found == 0 {
		return nil
	}
	type key struct{ secret, encoding int32 }
	first := map[key]int64{}
	for i, at := range f.at {
		if at < 0 {
			continue
		}
		for _, o := range s.needles[i].owners {
			k := key{o.secret, o.encoding}
			if old, ok := first[k]; !ok || at < old {
				first[k] = at
			}
		}
	}
	type ordered struct {
		key
		at int64
	}
	var all []ordered
	for k, at := range first {
		all = append(all, ordered{k, at})
	}
	slices.SortFunc(all, func(a, b ordered) int {
		switch {
		case a.at != b.at:
			return compare(a.at, b.at)
		case a.secret != b.secret:
			return compare(a.secret, b.secret)
		}
		return compare(a.encoding, b.encoding)
	})
	out := make([]Match, len(all))
	for i, o := range all {
		out[i] = Match{ID: s.ids[o.secret], Encoding: s.encodings[o.encoding], Offset: o.at}
	}
	return out
}

func compare[T int32 | int64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Scan returns the first match of each secret in each encoding in data (the same text in several
// encodings of a secret counts once, in the earliest encoding of New's order), sorted by offset,
// then by the order of the secrets, then by the order of the encodings.
func (s *Scanner) Scan(data []byte) []Match {
	if s.Empty() {
		return nil
	}
	f := s.newFirsts()
	s.first(data, 0, f)
	return s.matches(f)
}

// chunkSize is how much of a stream Reader searches at once, besides the bytes searched again.
const chunkSize = 1 << 20

// Reader searches the stream r to its end in pieces, searching the last MaxLen()-1 bytes of each
// again with the next, so that a text cut by a piece boundary is found whole. It returns the same
// matches as Scan would on the whole stream, and the number of bytes read.
func (s *Scanner) Reader(r io.Reader) ([]Match, int64, error) {
	return s.reader(r, chunkSize)
}

func (s *Scanner) reader(r io.Reader, chunk int) ([]Match, int64, error) {
	if s.Empty() {
		n, err := io.Copy(io.Discard, r)
		return nil, n, err
	}
	overlap := s.maxLen - 1
	size := overlap + max(chunk, overlap)
	var buf []byte
	if chunk == chunkSize {
		if p, ok := s.bufs.Get().(*[]byte); ok && cap(*p) >= size {
			buf = (*p)[:size]
		}
		defer func() { s.bufs.Put(&buf) }()
	}
	if buf == nil {
		buf = make([]byte, size)
	}
	f := s.newFirsts()
	var (
		n    int64 // bytes read
		kept int   // bytes of buf kept from the previous piece
	)
	for {
		m, err := io.ReadFull(r, buf[kept:])
		n += int64(m)
		end := kept + m
		if f.found < len(s.needles) && end > kept {
			s.first(buf[:end], n-int64(end), f)
		}
		switch err {
		case nil:
		case io.EOF, io.ErrUnexpectedEOF:
			return s.matches(f), n, nil
		default:
			return s.matches(f), n, err
		}
		kept = min(overlap, end)
		copy(buf, buf[end-kept:end])
	}
}

// Mask replaces every byte of b that is part of a text searched for with '*'.
func (s *Scanner) Mask(b []byte) {
	if s.Empty() {
		return
	}
	var spans []span
	s.all(b, func(at, n int) { spans = append(spans, span{at, at + n}) })
	for _, sp := range spans {
		for i := sp.start; i < sp.end; i++ {
			b[i] = '*'
		}
	}
}

type span struct{ start, end int }
