package store

import "time"

// A file can hold more captures than the retention count the store opens
// with: it was filled under another setting, or copied from another
// machine. Deleting the surplus at open would lose captures nobody chose to
// delete, so with Options.KeepSurplus the store keeps them until PruneSurplus.

// Surplus reports the captures the store held when it opened beyond the
// retention count it opened with, and that count: held is 0 when the file
// held no more than keep, or once PruneSurplus ran. Until then the store
// keeps held captures: new ones push out the oldest as retention does, but
// nothing of what the file held at open goes because of the count alone.
func (s *Store) Surplus() (held, keep int) {
	s.optMu.Lock()
	defer s.optMu.Unlock()
	if s.held == 0 {
		return 0, s.opts.MaxCount
	}
	return s.held, s.opts.MaxCount
}

// PruneSurplus lets retention delete what Surplus kept; pruning follows in
// the background.
func (s *Store) PruneSurplus() {
	s.optMu.Lock()
	s.held = 0
	s.optMu.Unlock()
	s.kickPrune()
}

// holdSurplus keeps the captures beyond opts.MaxCount at open.
func (s *Store) holdSurplus() error {
	if !s.opts.KeepSurplus || s.opts.MaxCount <= 0 {
		return nil
	}
	n, err := s.Count()
	if err != nil {
		return err
	}
	if n > s.opts.MaxCount {
		s.held = n
	}
	return nil
}

// pruneLimits are the limits retention applies now: the saved ones, with
// the count raised to what Surplus keeps.
func (s *Store) pruneLimits() (maxCount int, maxAge time.Duration) {
	s.optMu.Lock()
	defer s.optMu.Unlock()
	maxCount, maxAge = s.opts.MaxCount, s.opts.MaxAge
	if s.held > 0 && maxCount > 0 {
		maxCount = max(maxCount, s.held)
	}
	return maxCount, maxAge
}
