package scim

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestObjectLocksSerialisePerObject: read-modify-write cycles on one object
// never overlap (each reads, waits, and writes back one more), while cycles
// on another object run meanwhile. Run under the race detector by make race.
func TestObjectLocksSerialisePerObject(t *testing.T) {
	var locks objectLocks
	values := map[string]int{}
	var mu sync.Mutex // guards the map itself, not the read-modify-write
	var wg sync.WaitGroup
	for i := range 40 {
		key := []string{"Groups/a", "Groups/b"}[i%2]
		wg.Go(func() {
			unlock, err := locks.lock(context.Background(), key)
			if err != nil {
				t.Error(err)
				return
			}
			defer unlock()
			mu.Lock()
			read := values[key]
			mu.Unlock()
			time.Sleep(time.Millisecond)
			mu.Lock()
			values[key] = read + 1
			mu.Unlock()
		})
	}
	wg.Wait()
	if values["Groups/a"] != 20 || values["Groups/b"] != 20 {
		t.Fatalf("lost writes: %v, want 20 each", values)
	}
	if len(locks.held) != 0 {
		t.Fatalf("%d locks left behind", len(locks.held))
	}
}

// TestObjectLockWaitEndsWithContext: a caller waiting for a busy object
// gives up when its context ends, and leaves no lock behind.
func TestObjectLockWaitEndsWithContext(t *testing.T) {
	var locks objectLocks
	unlock, _ := locks.lock(context.Background(), "Groups/a")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := locks.lock(ctx, "Groups/a"); err == nil {
		t.Fatal("got the lock of a busy object")
	}
	unlock()
	if len(locks.held) != 0 {
		t.Fatalf("%d locks left behind", len(locks.held))
	}
}
