package scan

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"slices"
)

// The search samples the data: it reads the gram (q bytes) at every step-th offset, and looks it up
// in a table of the grams that the needles hold at their first step offsets. Every needle is at
// least q+step-1 bytes long, so an occurrence at p covers exactly one sampled offset s in
// [p, p+step) together with the gram that follows it, and the table names the needle and s-p.
// Sampled grams are first tested against a bitset of their hashes; only the few that pass are
// compared with the table's grams, and only equal grams lead to comparing a whole needle. The search
// reads 1/step of the data's offsets, and is linear: a sampled offset leads to at most the table
// entries of one hash.

const (
	maxGram = 4  // bytes of a gram
	maxStep = 64 // the longest step: beyond it, sampling costs no more than reading the data
	// maxBitsLog is the size of the largest bitset, 2^maxBitsLog bits.
	maxBitsLog = 18
)

// entry is one gram of one needle in the table.
type entry struct {
	gram   uint32
	back   int32 // offset of the gram in the needle
	needle int32
	length int32  // of the needle
	tail   uint32 // the needle's last 4 bytes, when it has 4
}

// table is the sampling search's index of the needles.
type table struct {
	q      int    // gram length, 1 to maxGram
	qmask  uint32 // keeps a gram's q bytes of a 4-byte load
	step   int    // distance between sampled offsets
	mul    uint32 // hash multiplier
	shift  uint   // 32 - log2 of the bitset's size
	bshift uint   // 32 - log2 of the number of buckets
	bits   *[1 << (maxBitsLog - 6)]uint64
	start  []int32 // entries of bucket b: ents[start[b]:start[b+1]]
	ents   []entry
}

func (t *table) hash(g uint32) uint32 { return (g * t.mul) >> t.shift }

// buildTable indexes the needles, all at least minLen bytes long.
func buildTable(needles []needle, minLen int) *table {
	t := &table{q: min(maxGram, minLen)}
	t.qmask = uint32(1<<(8*t.q) - 1)
	t.step = min(minLen-t.q+1, maxStep)
	for i, nd := range needles {
		for back := 0; back < t.step; back++ {
			e := entry{gram: gramAt(nd.text, back, t.q), back: int32(back), needle: int32(i), length: int32(len(nd.text))}
			if len(nd.text) >= 4 {
				e.tail = binary.LittleEndian.Uint32(nd.text[len(nd.text)-4:])
			}
			t.ents = append(t.ents, e)
		}
	}
	bitsLog := min(maxBitsLog, max(12, bits.Len(uint(len(t.ents))*32)))
	t.shift = uint(32 - bitsLog)
	bucketsLog := min(bitsLog, max(4, bits.Len(uint(len(t.ents)))))
	t.bshift = uint(32 - bucketsLog)

	// Grams of runs of one byte are common in data (zeros, spaces): take the multiplier that hashes
	// the fewest of them onto the needles' grams.
	grams := map[uint32]bool{}
	for _, e := range t.ents {
		grams[e.gram] = true
	}
	// Odd constants with well-mixed bits, tried in turn.
	multipliers := [...]uint32{0x9e3779b1, 0x85ebca6b, 0xc2b2ae35, 0x27d4eb2f, 0x165667b1, 0xd3a2646d, 0xfd7046c5, 0xb55a4f09}
	best, bestMul := -1, multipliers[0]
	for _, mul := range multipliers {
		t.mul = mul
		hashes := map[uint32]bool{}
		for g := range grams {
			hashes[t.hash(g)] = true
		}
		clashes := 0
		for c := range uint32(256) {
			if g := c * 0x01010101 & t.qmask; !grams[g] && hashes[t.hash(g)] {
				clashes++
			}
		}
		if best < 0 || clashes < best {
			best, bestMul = clashes, mul
		}
		if clashes == 0 {
			break
		}
	}
	t.mul = bestMul
	t.bits = new([1 << (maxBitsLog - 6)]uint64)
	for _, e := range t.ents {
		h := t.hash(e.gram)
		t.bits[h>>6] |= 1 << (h & 63)
	}
	bucket := func(e entry) int { return int((e.gram * t.mul) >> t.bshift) }
	slices.SortStableFunc(t.ents, func(a, b entry) int { return bucket(a) - bucket(b) })
	t.start = make([]int32, 1<<bucketsLog+1)
	for _, e := range t.ents {
		t.start[bucket(e)+1]++
	}
	for b := 1; b < len(t.start); b++ {
		t.start[b] += t.start[b-1]
	}
	return t
}

// gramAt returns the q bytes of b at i as a little-endian number.
func gramAt(b []byte, i, q int) uint32 {
	var g uint32
	for k := q - 1; k >= 0; k-- {
		g = g<<8 | uint32(b[i+k])
	}
	return g
}

// visitor is told of the needles found: with firsts set, it records the first place of each needle
// (in a stream, data starting at base); otherwise it calls fn with every occurrence.
type visitor struct {
	firsts *firsts
	base   int64
	fn     func(at, n int)
}

// search tells v of the occurrences of the needles in data, in the order of the sampled offsets
// that find them (an offset finds occurrences that start up to step-1 bytes before it).
func (s *Scanner) search(data []byte, v *visitor) {
	t := s.table
	n := len(data)
	step, shift, qmask, mul, bits := t.step, t.shift, t.qmask, t.mul, t.bits
	i := 0
	for ; i+maxGram <= n; i += step {
		g := binary.LittleEndian.Uint32(data[i:]) & qmask
		h := (g * mul) >> shift
		if bits[(h>>6)&(1<<(maxBitsLog-6)-1)]&(1<<(h&63)) == 0 {
			continue
		}
		if s.candidates(data, i, g, v) {
			return
		}
	}
	// The last offsets, where fewer than 4 bytes are left.
	for ; i+t.q <= n; i += step {
		g := gramAt(data, i, t.q)
		h := t.hash(g)
		if bits[h>>6]&(1<<(h&63)) == 0 {
			continue
		}
		if s.candidates(data, i, g, v) {
			return
		}
	}
}

// candidates compares the needles whose gram at some offset is g with data, placing that offset at
// i; it returns whether the search may end (every needle has been found).
func (s *Scanner) candidates(data []byte, i int, g uint32, v *visitor) bool {
	t := s.table
	b := (g * t.mul) >> t.bshift
	f := v.firsts
	for _, e := range t.ents[t.start[b]:t.start[b+1]] {
		if e.gram != g {
			continue
		}
		p := i - int(e.back)
		end := p + int(e.length)
		if p < 0 || end > len(data) {
			continue
		}
		if f != nil {
			// An earlier place is known: this one is later or the same.
			if old := f.at[e.needle]; old >= 0 && old <= v.base+int64(p) {
				continue
			}
		}
		if e.length >= 4 && binary.LittleEndian.Uint32(data[end-4:]) != e.tail || !bytes.Equal(data[p:end], s.needles[e.needle].text) {
			continue
		}
		if f == nil {
			v.fn(p, int(e.length))
			continue
		}
		if f.at[e.needle] < 0 {
			f.found++
		}
		f.at[e.needle] = v.base + int64(p)
	}
	return f != nil && f.found == len(f.at)
}

// first records in f the first place of each needle not found yet in data, which starts at offset
// base of the stream.
func (s *Scanner) first(data []byte, base int64, f *firsts) {
	s.search(data, &visitor{firsts: f, base: base})
}

// all calls fn with the offset and length of every occurrence of every needle in data.
func (s *Scanner) all(data []byte, fn func(at, n int)) {
	s.search(data, &visitor{fn: fn})
}
