package scan

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/url"
)

// Encodings, as Match.Encoding names them, in the order New generates them: when two encodings of
// a value are the same text, the earlier one names it.
const (
	Raw         = "raw"
	Base64      = "base64"
	Base64URL   = "base64url"
	URLEncoded  = "URL-encoded"
	Hex         = "hex"
	JSONEscaped = "JSON-escaped"
)

// encoded is one encoding of a value.
type encoded struct {
	encoding string
	text     []byte
}

// encodings returns the texts a value may appear as: raw, base64 and base64url at each of the
// three alignments a value can have inside a longer encoded text ("user:token" in a Docker config's
// "auth") keeping only the characters that depend on the value alone, URL-encoded as a query and as
// a path, hex in lower and upper case, and JSON-escaped with and without HTML escaping. Texts may
// repeat.
func encodings(v []byte) []encoded {
	out := []encoded{{Raw, v}}
	for align := range 3 {
		out = append(out,
			encoded{Base64, base64Inner(base64.StdEncoding, v, align)},
			encoded{Base64URL, base64Inner(base64.URLEncoding, v, align)})
	}
	out = append(out,
		encoded{URLEncoded, []byte(url.QueryEscape(string(v)))},
		encoded{URLEncoded, []byte(url.PathEscape(string(v)))})
	h := hex.EncodeToString(v)
	out = append(out, encoded{Hex, []byte(h)}, encoded{Hex, bytes.ToUpper([]byte(h))})
	for _, html := range []bool{false, true} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(html)
		if enc.Encode(string(v)) == nil {
			j := bytes.TrimSpace(b.Bytes())
			out = append(out, encoded{JSONEscaped, j[1 : len(j)-1]})
		}
	}
	return out
}

// base64Inner returns the characters of the base64 encoding of v, placed after align bytes of other
// data, that depend on v alone.
func base64Inner(enc *base64.Encoding, v []byte, align int) []byte {
	full := enc.EncodeToString(append(make([]byte, align), v...))
	// Character j covers bits [6j, 6j+6); v covers bits [8·align, 8·(align+len)).
	first := (8*align + 5) / 6
	last := (8*(align+len(v)) - 6) / 6 // inclusive
	if last < first || last >= len(full) {
		return nil
	}
	return []byte(full[first : last+1])
}
