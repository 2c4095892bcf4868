package model

import (
	"testing"
	"unicode"
)

func TestIsSpaceByte(t *testing.T) {
	for b := 0; b < 256; b++ {
		if got, want := isSpaceByte(byte(b)), unicode.IsSpace(rune(b)); got != want {
			t.Errorf("isSpaceByte(%#x) = %v, want %v", b, got, want)
		}
	}
}
