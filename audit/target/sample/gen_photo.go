//go:build ignore

// gen_photo draws the embedded sample's lead photo: an illustration of two
// leaders seated at the ends of a long table, in the manner of the
// Kremlin meeting the sample article reports. Run: go run gen_photo.go
package main

import (
	"image"
	"image/color"
	"image/jpeg"
	"log"
	"math"
	"os"
)

func main() {
	const w, h = 960, 540
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			// A cream wall fading to a parquet floor.
			var c color.RGBA
			if y < 300 {
				t := float64(y) / 300
				c = color.RGBA{uint8(236 - 30*t), uint8(226 - 32*t), uint8(204 - 40*t), 255}
				// Gilded panels on the wall.
				if (x/160)%2 == 0 && y > 40 && y < 260 && x%160 > 20 && x%160 < 140 {
					c = color.RGBA{c.R - 18, c.G - 22, c.B - 40, 255}
				}
			} else {
				stripe := (x/24 + y/12) % 2
				base := 120 + 20*stripe
				c = color.RGBA{uint8(base + 40), uint8(base), uint8(base - 60), 255}
			}
			img.Set(x, y, c)
		}
	}
	// The long white table in perspective.
	for y := 300; y < 380; y++ {
		inset := (380 - y) * 2
		for x := 80 + inset; x < w-80-inset; x++ {
			img.Set(x, y, color.RGBA{246, 244, 238, 255})
		}
	}
	person(img, 150, 250, color.RGBA{30, 34, 48, 255})
	person(img, 810, 250, color.RGBA{24, 28, 36, 255})
	f, err := os.Create("photo.jpg")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	if err := jpeg.Encode(f, img, &jpeg.Options{Quality: 72}); err != nil {
		log.Fatal(err)
	}
}

// person draws a seated figure: a dark suit and a head, centred at cx.
func person(img *image.RGBA, cx, top int, suit color.RGBA) {
	skin := color.RGBA{222, 184, 150, 255}
	for y := top; y < top+140; y++ {
		for x := cx - 60; x < cx+60; x++ {
			dx, dy := float64(x-cx), float64(y-top-20)
			switch {
			case dx*dx+dy*dy < 26*26:
				img.Set(x, y, skin)
			case y > top+44 && math.Abs(dx) < 30+float64(y-top-44)/3:
				img.Set(x, y, suit)
			}
		}
	}
}
