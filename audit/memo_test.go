package audit_test

import (
	"sync"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
)

type memoKey struct{}

func TestMemoComputesOncePerPage(t *testing.T) {
	p, q := &audit.Page{}, &audit.Page{}
	calls := 0
	var mu sync.Mutex
	compute := func() any {
		mu.Lock()
		defer mu.Unlock()
		calls++
		return calls
	}
	var wg sync.WaitGroup
	got := make([]any, 8)
	for i := range got {
		wg.Go(func() { got[i] = p.Memo(memoKey{}, compute) })
	}
	wg.Wait()
	for _, v := range got {
		if v != got[0] {
			t.Fatalf("Memo gave different values to concurrent callers: %v", got)
		}
	}
	if v := p.Memo(memoKey{}, compute); v != got[0] {
		t.Errorf("a later call got %v, want %v", v, got[0])
	}
	if v := q.Memo(memoKey{}, compute); v == got[0] {
		t.Errorf("another page shares the value %v", v)
	}
	// A compute that asks for another key does not deadlock.
	type other struct{}
	if v := p.Memo(other{}, func() any { return p.Memo(memoKey{}, compute) }); v != got[0] {
		t.Errorf("nested Memo = %v", v)
	}
}
