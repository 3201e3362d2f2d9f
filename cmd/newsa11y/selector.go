package main

import (
	"errors"
	"fmt"
	"strings"
)

// checkSelector refuses a --hide-elements value that cannot be a CSS
// selector, before the browser starts. It is deliberately partial: it
// rejects only what no browser accepts (an unclosed bracket, parenthesis
// or quote; "#" or "." with no name after it; a selector list with an
// empty item; a combinator with nothing on one side), and leaves the rest
// to the browser, whose verdict the reports still give.
func checkSelector(sel string) error {
	if strings.TrimSpace(sel) == "" {
		return errors.New("empty")
	}
	var stack []byte // open ( and [
	var quote byte   // open quote, or 0
	// What the top level of the current item holds so far: whether it has
	// a simple selector, and whether the last thing was a combinator.
	item, comb := false, false
	for i := 0; i < len(sel); i++ {
		ch := sel[i]
		if quote != 0 {
			switch ch {
			case '\\':
				i++
			case quote:
				quote = 0
			}
			continue
		}
		switch ch {
		case '\\':
			i++
			item, comb = true, false
			continue
		case '"', '\'':
			quote = ch
			continue
		case '(', '[':
			stack = append(stack, ch)
			item, comb = true, false
			continue
		case ')', ']':
			open := byte('(')
			if ch == ']' {
				open = '['
			}
			if len(stack) == 0 || stack[len(stack)-1] != open {
				return fmt.Errorf("%q at character %d closes nothing", ch, i+1)
			}
			stack = stack[:len(stack)-1]
			continue
		}
		if len(stack) > 0 {
			continue // inside brackets: left to the browser
		}
		switch {
		case ch == '#' || ch == '.':
			if i+1 >= len(sel) || !nameStart(sel[i+1]) {
				what := "an id"
				if ch == '.' {
					what = "a class name"
				}
				return fmt.Errorf("%q at character %d is not followed by %s", ch, i+1, what)
			}
			item, comb = true, false
		case ch == '>' || ch == '+' || ch == '~':
			if !item || comb {
				return fmt.Errorf("the combinator %q at character %d has no selector before it", ch, i+1)
			}
			comb = true
		case ch == ',':
			if !item || comb {
				return fmt.Errorf("the selector list has an empty item before character %d", i+1)
			}
			item, comb = false, false
		case ch == ' ' || ch == '\t' || ch == '\n':
		default:
			item, comb = true, false
		}
	}
	switch {
	case quote != 0:
		return fmt.Errorf("the quote %c is not closed", quote)
	case len(stack) > 0:
		return fmt.Errorf("%q is not closed", stack[len(stack)-1])
	case comb:
		return errors.New("it ends with a combinator")
	case !item:
		return errors.New("the selector list ends with an empty item")
	}
	return nil
}

// nameStart reports whether b can start an id or class name: a letter, a
// digit (escaped in CSS, but a browser error only if unescaped: left to
// the browser), "-", "_", an escape or any non-ASCII byte.
func nameStart(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_' || b == '\\' || b >= 0x80
}
