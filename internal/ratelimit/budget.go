package ratelimit

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofrs/flock"
)

// Budget is one app's pace shared by every process on this machine that
// talks to it: Terraform runs of several workspaces at once, terragrunt
// run-all, parallel CI jobs on one runner. Each would otherwise pace itself
// just under the app's limit as if it were its own, and together they send
// several times what the app accepts.
//
// It is a small JSON state (the latest slot taken, a 429 pause, the limit
// learned) read and written under an exclusive flock(2) lock on a file
// beside it. The kernel releases that lock when its holder exits or
// crashes, so a dead holder costs nothing; a holder that hangs (stopped,
// swapped out) is waited for at most lockWait, after which this process
// paces on its own for a while; state that is unreadable, or whose slots
// or pause lie implausibly far ahead (a clock that jumped, a crash in the
// middle of a write), is started afresh.
type Budget struct {
	statePath string
	lock      *flock.Flock
	// turn keeps one goroutine of this process in the file at a time (a
	// channel: its waiters block durably under testing/synctest).
	turn chan struct{}
	// aloneUntil is set when the lock was not obtained in time: until
	// then this process paces without the file.
	aloneUntil time.Time
	fallbacks  atomic.Int64
	// id names this process among the budget's sharers; sharers is how
	// many were active at the latest look.
	id      string
	sharers atomic.Int64
	// notedAt is when this process last wrote the state (Unix nanoseconds).
	notedAt atomic.Int64
	// interval is this process's pace as last reserved at (0 unpaced).
	interval atomic.Int64
}

// budgetState is what the file holds. Times are wall-clock: the processes
// sharing it are on one machine.
type budgetState struct {
	Last        time.Time `json:"last"`
	PausedUntil time.Time `json:"paused_until"`
	Limit       float64   `json:"limit,omitempty"`
	LimitAt     time.Time `json:"limit_at"`
	// Sharers holds, for each process using the budget, when it last
	// took a slot and the interval of its pace then (0 unpaced).
	Sharers map[string]sharer `json:"sharers,omitempty"`
	// Accepted counts the answers other than 429 every sharer had, by
	// tenth of a second, over the last second: Tenth is the latest tenth
	// counted (as tenths since the Unix epoch).
	Accepted [10]int `json:"accepted"`
	Tenth    int64   `json:"tenth"`
}

// sharer is one process's entry in the budget.
type sharer struct {
	Seen     time.Time     `json:"seen"`
	Interval time.Duration `json:"interval"`
}

const (
	// lockWait bounds the wait for the lock; the state is held for
	// microseconds, so a longer wait means a holder that hangs.
	lockWait  = time.Second
	lockRetry = time.Millisecond
	aloneFor  = 30 * time.Second
	maxAhead  = time.Minute // slots or a pause further ahead are stale
	// sharerGone is how long a process that took no slot still counts
	// as sharing the budget.
	sharerGone    = 5 * time.Second
	limitFreshFor = 10 * time.Minute
	// forgetAfter is the age at which other apps' budget files are removed.
	forgetAfter = 7 * 24 * time.Hour
)

// OpenBudget opens (creating if needed) the budget of one app as reached
// with one credential, named by parts (endpoint, credential, headers), in
// dir, which is created private to the user. The file names are an HMAC of
// parts under a random key kept in dir, so that neither the endpoint nor a
// credential can be read, or guessed offline, from them. Budget files of
// apps not used for a week are removed on the way.
func OpenBudget(dir string, parts ...string) (*Budget, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	secret, err := directoryKey(dir)
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(strings.Join(parts, "\x00")))
	name := hex.EncodeToString(mac.Sum(nil)[:16])
	forgetOld(dir, name, time.Now())
	base := filepath.Join(dir, name)
	id := make([]byte, 8)
	_, _ = rand.Read(id)
	return &Budget{
		id:        hex.EncodeToString(id),
		statePath: base + ".json",
		turn:      make(chan struct{}, 1),
		lock:      flock.New(base+".lock", flock.SetFlag(os.O_CREATE|os.O_RDWR), flock.SetPermissions(0o600)),
	}, nil
}

// directoryKey reads the directory's HMAC key, making it first if there
// is none: written whole to a file of its own, then linked into place, so
// that a process starting at the same moment reads a whole key or makes
// the link itself.
func directoryKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, "key")
	if key, err := os.ReadFile(path); err == nil && len(key) == 32 {
		return key, nil
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, "key-*")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	if _, err := tmp.Write(key); err != nil {
		_ = tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, os.ErrExist) {
		return nil, err
	}
	key, err = os.ReadFile(path)
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("rate-limit budget key %s is unreadable or not 32 bytes", path)
	}
	return key, nil
}

// fallbackCount counts the times the lock was not obtained and the process
// paced alone.
func (b *Budget) fallbackCount() int64 { return b.fallbacks.Load() }

// reserve takes the next slot at interval (0: unpaced, which only waits
// out a shared pause) after the latest slot of any process, and returns
// the theoretical slot and when the caller may send; ok is false when the
// budget could not be used.
// charged, when later than the latest slot, stands for it (see pacer.charged).
func (b *Budget) reserve(now time.Time, interval time.Duration, burst int, charged time.Time) (next, slot time.Time, ok bool) {
	// Unpaced, the state is only read, and written once a second to
	// count this process among the sharers.
	write := interval > 0 || now.Sub(time.Unix(0, b.notedAt.Load())) >= time.Second
	b.interval.Store(int64(interval))
	ok = b.update(now, write, func(s *budgetState) {
		if write && interval > 0 {
			_, interval = s.noteSharer(b.id, now, interval)
		}
		// A pause moves the pace on: the slots after it are spaced from
		// its end, not released at once when it ends.
		from := now
		if s.PausedUntil.After(now) {
			from = s.PausedUntil
		}
		if interval == 0 {
			next, slot = from, from
			return
		}
		last := s.Last
		if charged.After(last) {
			last = charged
		}
		next, slot = nextSlot(last, from, interval, burst)
		s.Last = next
	})
	return next, slot, ok
}

// pauseUntil holds every process sharing the budget until t.
func (b *Budget) pauseUntil(now, t time.Time) {
	b.update(now, true, func(s *budgetState) {
		if t.After(s.PausedUntil) {
			s.PausedUntil = t
		}
	})
}

// publishLimit records a limit learned from the app, for processes that
// start later or have not learned it yet.
func (b *Budget) publishLimit(now time.Time, limit float64) {
	b.update(now, true, func(s *budgetState) { s.Limit, s.LimitAt = limit, now })
}

// knownLimit is the limit another process learned recently, 0 when none.
func (b *Budget) knownLimit(now time.Time) float64 {
	limit := 0.0
	b.update(now, false, func(s *budgetState) {
		if now.Sub(s.LimitAt) < limitFreshFor {
			limit = s.Limit
		}
	})
	return limit
}

// update runs change on the state under the lock, writing it back when
// write is set, and says whether the budget could be used.
func (b *Budget) update(now time.Time, write bool, change func(*budgetState)) bool {
	b.turn <- struct{}{}
	defer func() { <-b.turn }()
	if now.Before(b.aloneUntil) {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), lockWait)
	defer cancel()
	locked, err := b.lock.TryLockContext(ctx, lockRetry)
	if err != nil || !locked {
		b.aloneUntil = now.Add(aloneFor)
		b.fallbacks.Add(1)
		return false
	}
	defer func() { _ = b.lock.Unlock() }()
	s := readState(b.statePath, now)
	change(&s)
	if write {
		n, _ := s.noteSharer(b.id, now, time.Duration(b.interval.Load()))
		b.sharers.Store(int64(n))
		b.notedAt.Store(now.UnixNano())
	}
	if write {
		data, err := json.Marshal(s)
		if err == nil {
			err = writeWhole(b.statePath, data)
		}
		if err != nil {
			b.aloneUntil = now.Add(aloneFor)
			b.fallbacks.Add(1)
			return false
		}
	}
	return true
}

// noteAccepted counts an answer the app accepted, for the machine-wide
// rate a limit learned from 429s starts from.
func (b *Budget) noteAccepted(now time.Time) {
	b.update(now, true, func(s *budgetState) {
		s.roll(now)
		s.Accepted[now.UnixMilli()/100%10]++
	})
}

// acceptedLastSecond is how many answers every sharer had accepted over
// the last second; ok is false when the budget cannot be read.
func (b *Budget) acceptedLastSecond(now time.Time) (n int, ok bool) {
	ok = b.update(now, false, func(s *budgetState) {
		s.roll(now)
		for _, c := range s.Accepted {
			n += c
		}
	})
	return n, ok
}

// roll clears the tenths of a second that have passed since the latest
// one counted.
func (s *budgetState) roll(now time.Time) {
	tenth := now.UnixMilli() / 100
	if tenth-s.Tenth >= 10 || tenth < s.Tenth {
		s.Accepted, s.Tenth = [10]int{}, tenth
		return
	}
	for t := s.Tenth + 1; t <= tenth; t++ {
		s.Accepted[t%10] = 0
	}
	s.Tenth = tenth
}

// Sharers is how many processes took a slot from the budget within the
// last few seconds, this one included (at least 1).
func (b *Budget) Sharers() int { return max(1, int(b.sharers.Load())) }

// noteSharer records that process id is using the budget at interval,
// forgets the ones gone quiet, and returns how many are active and the
// longest interval among them: the machine keeps the slowest pace any of
// them has set, so that one process's slowdown (after 429s) slows them
// all, and is judged by what it does to the app's answers.
func (s *budgetState) noteSharer(id string, now time.Time, interval time.Duration) (int, time.Duration) {
	if s.Sharers == nil {
		s.Sharers = map[string]sharer{}
	}
	s.Sharers[id] = sharer{Seen: now, Interval: interval}
	slowest := interval
	for other, e := range s.Sharers {
		if now.Sub(e.Seen) > sharerGone || e.Seen.After(now.Add(maxAhead)) {
			delete(s.Sharers, other)
			continue
		}
		slowest = max(slowest, min(e.Interval, time.Duration(float64(time.Second)/float64(minimumRate/100))))
	}
	return len(s.Sharers), slowest
}

// readState reads the shared state, starting afresh from what is
// unreadable or implausible.
func readState(path string, now time.Time) budgetState {
	var s budgetState
	data, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(data, &s) != nil {
		return budgetState{}
	}
	if s.Last.After(now.Add(maxAhead)) {
		s.Last = time.Time{}
	}
	if s.PausedUntil.After(now.Add(maxAhead)) {
		s.PausedUntil = time.Time{}
	}
	if s.LimitAt.After(now.Add(maxAhead)) {
		s.Limit, s.LimitAt = 0, time.Time{}
	}
	return s
}

// writeWhole replaces a file by a new one written beside it and renamed
// over it: a crash mid-write leaves the old state, not half of the new.
func writeWhole(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// budgetName matches the files of a budget: 32 hexadecimal digits and
// .json or .lock. Nothing else in the directory is ever removed.
var budgetName = regexp.MustCompile(`^([0-9a-f]{32})\.json$`)

// forgetOld removes the budgets, other than keep, whose state was last
// written over forgetAfter ago: the state file and then its lock file (a
// lock file's time says nothing: taking the lock does not touch it).
func forgetOld(dir, keep string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		m := budgetName.FindStringSubmatch(e.Name())
		if m == nil || m[1] == keep {
			continue
		}
		if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > forgetAfter {
			_ = os.Remove(filepath.Join(dir, e.Name()))
			_ = os.Remove(filepath.Join(dir, m[1]+".lock"))
		}
	}
}
