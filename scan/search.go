package scan

import "bytes"

// search records in f the first place of each needle not found yet in data, which starts at offset
// base of the stream.
func (s *Scanner) search(data []byte, base int64, f *firsts) {
	for i, nd := range s.needles {
		if f.at[i] >= 0 {
			continue
		}
		if j := bytes.Index(data, nd.text); j >= 0 {
			f.at[i] = base + int64(j)
			f.found++
		}
	}
}

// all calls fn with the offset and length of every occurrence of every needle in data.
func (s *Scanner) all(data []byte, fn func(at, n int)) {
	for _, nd := range s.needles {
		for off := 0; ; {
			j := bytes.Index(data[off:], nd.text)
			if j < 0 {
				break
			}
			fn(off+j, len(nd.text))
			off += j + 1
		}
	}
}
