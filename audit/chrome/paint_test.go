package chrome

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
)

// pngOf encodes a w×h picture of one colour with n pixels of another.
func pngOf(t *testing.T, w, h, n int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < w*h; i++ {
		c := color.RGBA{255, 255, 255, 255}
		if i < n {
			c = color.RGBA{0, 0, 0, 255}
		}
		img.Set(i%w, i/w, c)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDiffering(t *testing.T) {
	for _, c := range []struct {
		n    int
		want float64
	}{{0, 0}, {1, 0.001}, {10, 0.01}, {1000, 1}} {
		got, err := differing(pngOf(t, 100, 10, 0), pngOf(t, 100, 10, c.n))
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%d pixels differ: share %g, want %g", c.n, got, c.want)
		}
	}
	if got, _ := differing(pngOf(t, 100, 10, 0), pngOf(t, 10, 100, 0)); got != 1 {
		t.Errorf("boxes of other sizes: share %g, want 1", got)
	}
	if _, err := differing([]byte("not a png"), pngOf(t, 1, 1, 0)); err == nil {
		t.Error("no error for a screenshot that is not a PNG")
	}
}
