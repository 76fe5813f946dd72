package ratelimit

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// TestHoldBudgetLock is not a test: run as a child process by the tests
// below, it takes a budget's lock, says so, and holds it until killed.
func TestHoldBudgetLock(t *testing.T) {
	dir := os.Getenv("RATELIMIT_HOLD_DIR")
	if dir == "" {
		t.Skip("helper process for TestBudgetSurvivesItsHolder")
	}
	b, err := OpenBudget(dir, "app")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.lock.Lock(); err != nil {
		t.Fatal(err)
	}
	_, _ = os.Stdout.WriteString("locked\n")
	time.Sleep(time.Hour)
}

// holdLock starts a process that holds the lock of the budget "app" in dir.
func holdLock(t *testing.T, dir string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHoldBudgetLock$")
	cmd.Env = append(os.Environ(), "RATELIMIT_HOLD_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "locked\n" {
		t.Fatalf("holder said %q, %v", line, err)
	}
	return cmd
}

// TestBudgetSurvivesItsHolder: a process that hangs while it holds the
// budget's lock holds the others back for at most lockWait, after which
// they pace on their own; a process that crashes while it holds it costs
// nothing, since the kernel releases the lock with the process.
func TestBudgetSurvivesItsHolder(t *testing.T) {
	dir := t.TempDir()
	holder := holdLock(t, dir)
	hung, err := OpenBudget(dir, "app")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, _, ok := hung.reserve(time.Now(), 50*time.Millisecond, 1, time.Time{}); ok {
		t.Fatal("a slot was taken from a budget whose lock another process holds")
	}
	if took := time.Since(start); took < lockWait || took > lockWait+time.Second {
		t.Fatalf("gave up on the lock after %v, want about %v", took, lockWait)
	}
	// Meanwhile the limiter paces alone, without waiting on the lock again.
	l := New(Options{Ceiling: 20, Budget: hung})
	start = time.Now()
	for range 5 {
		l.pacer.take(time.Now())
	}
	if took := time.Since(start); took > 100*time.Millisecond || hung.fallbackCount() != 1 {
		t.Fatalf("five slots took %v with %d fallbacks; want no more waiting on a hung holder", took, hung.fallbackCount())
	}

	if err := holder.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = holder.Wait()
	fresh, err := OpenBudget(dir, "app")
	if err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	now := time.Now()
	_, first, ok := fresh.reserve(now, 50*time.Millisecond, 1, time.Time{})
	_, second, ok2 := fresh.reserve(now, 50*time.Millisecond, 1, time.Time{})
	if !ok || !ok2 || time.Since(start) > 100*time.Millisecond {
		t.Fatalf("budget unusable (%v, %v) after its holder crashed; took %v", ok, ok2, time.Since(start))
	}
	if gap := second.Sub(first); gap != 50*time.Millisecond {
		t.Fatalf("slots %v apart after the crash, want the 50ms interval", gap)
	}
}

// TestBudgetStartsAfreshFromStaleState: a state file cut short by a crash
// in the middle of a write, or holding slots and a pause far ahead (a
// clock that jumped back), does not hold anyone back.
func TestBudgetStartsAfreshFromStaleState(t *testing.T) {
	now := time.Now()
	far := now.Add(time.Hour).Format(time.RFC3339Nano)
	for name, content := range map[string]string{
		"cut short": `{"last":"` + now.Format(time.RFC3339Nano),
		"far ahead": `{"last":"` + far + `","paused_until":"` + far + `","limit":1,"limit_at":"` + far + `"}`,
		"not json":  "\x00\x00\x00",
	} {
		t.Run(name, func(t *testing.T) {
			b, err := OpenBudget(t.TempDir(), "app")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(b.statePath, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, slot, ok := b.reserve(now, 50*time.Millisecond, 1, time.Time{}); !ok || slot.Sub(now) > 0 {
				t.Fatalf("slot %v from now (ok %v), want now", slot.Sub(now), ok)
			}
			if limit := b.knownLimit(now); limit != 0 {
				t.Fatalf("limit %v taken from a state written in the future", limit)
			}
		})
	}
}

// TestBudgetSharesSlotsAcrossProcesses: two budgets opened on one file
// (as two processes do) space their slots together at the pace, and a
// pause one of them is asked for holds the other.
func TestBudgetSharesSlotsAcrossProcesses(t *testing.T) {
	dir := t.TempDir()
	a, errA := OpenBudget(dir, "app")
	b, errB := OpenBudget(dir, "app")
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	now := time.Now()
	var slots []time.Time
	for i := range 6 {
		budget := []*Budget{a, b}[i%2]
		_, slot, ok := budget.reserve(now, 100*time.Millisecond, 1, time.Time{})
		if !ok {
			t.Fatal("budget unusable")
		}
		slots = append(slots, slot)
	}
	for i, slot := range slots {
		if want := time.Duration(i) * 100 * time.Millisecond; slot.Sub(now) != want {
			t.Fatalf("slot %d at %v, want %v: two processes together keep one pace", i, slot.Sub(now), want)
		}
	}
	if a.Sharers() != 2 || b.Sharers() != 2 {
		t.Fatalf("sharers %d and %d, want 2", a.Sharers(), b.Sharers())
	}
	a.pauseUntil(now, now.Add(5*time.Second))
	if _, slot, _ := b.reserve(now, 0, 1, time.Time{}); slot.Sub(now) != 5*time.Second {
		t.Fatalf("an unpaced process may send %v from now while another was told to pause 5s", slot.Sub(now))
	}
	b.publishLimit(now, 20)
	if got := a.knownLimit(now.Add(time.Second)); got != 20 {
		t.Fatalf("limit learned by one process read as %v by the other", got)
	}
}

// TestBudgetNamesAndCleanup: budget files are named by a keyed digest (the
// same for the same app and credential, another for another credential,
// and not the plain digest of the credential); only budget files a week
// old are removed, never other files in the directory.
func TestBudgetNamesAndCleanup(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rate-limits")
	a, _ := OpenBudget(dir, "https://app.example.com/scim/v2", "token-a")
	again, _ := OpenBudget(dir, "https://app.example.com/scim/v2", "token-a")
	other, _ := OpenBudget(dir, "https://app.example.com/scim/v2", "token-b")
	if a.statePath != again.statePath || a.statePath == other.statePath {
		t.Fatalf("names %s, %s, %s: want one per app and credential", a.statePath, again.statePath, other.statePath)
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("budget directory mode %v, %v; want 0700", info.Mode().Perm(), err)
	}
	_, _, _ = other.reserve(time.Now(), time.Millisecond, 1, time.Time{})
	unrelated := filepath.Join(dir, "notes.json")
	if err := os.WriteFile(unrelated, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * forgetAfter)
	for _, p := range []string{unrelated, other.statePath} {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := OpenBudget(dir, "https://app.example.com/scim/v2", "token-a"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(other.statePath); !os.IsNotExist(err) {
		t.Errorf("a budget unused for two weeks was kept (%v)", err)
	}
	if _, err := os.Stat(unrelated); err != nil {
		t.Errorf("a file that is not a budget's was removed: %v", err)
	}
}

// TestBudgetIgnoresAProcessHeldToItsOwnRateLimit: a run with rate_limit =
// 0.2 sharing the budget keeps its own 5 s spacing and does not hold the
// other sharers to it.
func TestBudgetIgnoresAProcessHeldToItsOwnRateLimit(t *testing.T) {
	dir := t.TempDir()
	slow, _ := OpenBudget(dir, "app")
	fast, _ := OpenBudget(dir, "app")
	slowPacer := newPacer(0.2, 1, time.Now, slow)
	// The fast run has no rate_limit: it paces at what it learned from the
	// app, through the shared budget.
	fastPacer := newPacer(rate.Inf, 1, time.Now, fast)
	fastPacer.SetLimit(10)
	now := time.Now()
	a, b := slowPacer.take(now), slowPacer.take(now)
	if gap := b.Sub(a); gap != 5*time.Second {
		t.Fatalf("the slow run's slots %v apart, want its own 5s", gap)
	}
	first, second := fastPacer.take(now), fastPacer.take(now)
	if fast.Sharers() != 2 {
		t.Fatalf("%d sharers, want 2: the fast run did not pace through the budget", fast.Sharers())
	}
	if first.Sub(now) > 0 || second.Sub(first) != 100*time.Millisecond {
		t.Fatalf("the fast run's slots at %v and %v from now: held back by the slow run's rate_limit", first.Sub(now), second.Sub(now))
	}
}

// TestAppLimitIsSharedByEveryProcess: four runs against an app whose
// documented limit is 3 requests a second (the Slack preset's pace) keep it
// together through the budget: twelve requests take 11/3 seconds, where
// runs that held the pace each on its own sent them all at once.
func TestAppLimitIsSharedByEveryProcess(t *testing.T) {
	dir := t.TempDir()
	var runs []*Limiter
	for range 4 {
		b, err := OpenBudget(dir, "slack")
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, New(Options{AppLimit: 3, Budget: b}))
	}
	now := time.Now()
	var last time.Time
	for i := range 12 {
		if slot := runs[i%4].pacer.take(now); slot.After(last) {
			last = slot
		}
	}
	// One slot every third of a second, without a burst.
	if spread := last.Sub(now); spread < 3600*time.Millisecond {
		t.Fatalf("four runs sent 12 requests within %v: %.1f/s together against an app limit of 3/s",
			spread, 12/max(spread.Seconds(), 0.001))
	}
}
