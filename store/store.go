// Package store keeps captures durably in one bbolt file.
//
// Summaries and details (headers, response, signature and, since schema
// version 2, a body of up to 8 KiB) live in separate buckets keyed by the
// capture ID, so the list reads small records and a search touches the rest
// only when the summary did not match. Larger bodies, and the bodies of
// captures stored by version 1, are records of a third bucket.
package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout this code writes. Version 2 stores a capture's
// body of up to 8 KiB in its detail record instead of the bodies bucket; it reads version 1
// files as they are and marks them version 2 when it opens them, so that an
// older Hookscope, which would find no body in the new records, refuses the
// file instead of showing captures without their bodies.
const SchemaVersion = 2

// oldestSchema is the oldest layout this code reads.
const oldestSchema = 1

var (
	bucketMeta      = []byte("meta")
	bucketSummaries = []byte("summaries")
	bucketDetails   = []byte("details")
	bucketBodies    = []byte("bodies")
	bucketProjects  = []byte("projects")
	keySchema       = []byte("schema")
	keyCount        = []byte("count")
)

// ErrNotFound is returned for an ID the store does not hold.
var ErrNotFound = errors.New("capture not found")

// ErrLocked is returned by Open when another process holds the file.
var ErrLocked = errors.New("database is in use by another Hookscope instance")

// Options tune a store. The zero value gives the defaults.
type Options struct {
	// MaxCount keeps at most this many captures, pruning the oldest
	// (default 100,000; negative disables).
	MaxCount int
	// MaxAge prunes captures older than this (0 keeps them forever).
	MaxAge time.Duration
	// LockTimeout bounds the wait for a file held by another process
	// (default 1 s).
	LockTimeout time.Duration
	// Now is the clock for IDs and retention (default time.Now).
	Now func() time.Time
	// KeepCredentialsInHistory keeps the Authorization, Cookie and other
	// credential headers of replays and forwards whole in the delivery
	// history; by default they are masked there (see MaskCredential).
	KeepCredentialsInHistory bool
	// KeepSurplus keeps the captures a file holds beyond MaxCount when it
	// opens, until PruneSurplus (see Surplus); without it retention deletes
	// them at once.
	KeepSurplus bool
}

// DefaultMaxCount is how many captures a store keeps unless told otherwise.
const DefaultMaxCount = 100_000

// Store is an open capture database. Its methods are safe for concurrent use.
type Store struct {
	db   *bolt.DB
	path string
	opts Options

	puts chan *putReq

	idMu      sync.Mutex
	lastID    ID
	importing map[ID]bool // IDs ImportID issued whose Put has not committed

	subMu sync.Mutex
	subs  map[*Subscription]struct{}

	optMu sync.Mutex // guards opts.MaxCount, opts.MaxAge, opts.KeepCredentialsInHistory and held after Open
	held  int        // captures kept beyond MaxCount until PruneSurplus (see Surplus)

	// historyBytes overrides MaxDeliveryBytesPerProject when above 0 (tests).
	historyBytes int

	pruneKick chan struct{}
	done      chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once
	closeMu   sync.RWMutex
	closed    bool

	dmgMu  sync.Mutex
	dmgErr error // the first damage found; writes are refused once set

	release searchRelease // the file's pages after a text search
}

// Open opens or creates the store at path.
func Open(path string, opts Options) (*Store, error) {
	if opts.MaxCount == 0 {
		opts.MaxCount = DefaultMaxCount
	}
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("open store %s: %w", path, classifyWrite(path, err))
		}
	}
	db, err := openBolt(path, opts.LockTimeout)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s := &Store{
		db:        db,
		path:      path,
		opts:      opts,
		puts:      make(chan *putReq, 1024),
		subs:      map[*Subscription]struct{}{},
		importing: map[ID]bool{},
		pruneKick: make(chan struct{}, 1),
		done:      make(chan struct{}),
		release:   searchRelease{after: searchReleaseDelay},
	}
	// The checks come before init, whose commit writes: a damaged file is
	// left exactly as it was for --recover.
	later, err := s.checkOnOpen()
	if err == nil {
		err = guard(path, s.init)
	}
	if err == nil {
		err = s.holdSurplus()
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if later {
		s.wg.Add(1)
		go s.checkInBackground()
	}
	s.wg.Add(2)
	go s.writer()
	go s.pruner()
	s.kickPrune()
	return s, nil
}

// openBolt opens the file with bbolt, turning its panics on a damaged file
// (an unreadable freelist page) into an error.
func openBolt(path string, lockTimeout time.Duration) (db *bolt.DB, err error) {
	err = guard(path, func() error {
		db, err = bolt.Open(path, 0o600, &bolt.Options{
			Timeout: lockTimeout,
			// The hashmap freelist allocates in constant time; the default array
			// scans the whole freelist, which grows as retention frees pages.
			// (NoFreelistSync would save more per commit, but rebuilding the
			// freelist made opening a 1,000,000-capture file take 1.3 s.)
			FreelistType: bolt.FreelistMapType,
		})
		return err
	})
	if err == nil || errors.Is(err, ErrDamaged) {
		return db, err
	}
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, ErrLocked
	}
	if err := classifyWrite(path, err); errors.Is(err, ErrReadOnly) {
		return nil, err
	}
	return nil, fmt.Errorf("not a readable Hookscope database: %w", err)
}

// init creates the buckets of a new file and refuses a file of another schema.
func (s *Store) init() error {
	return s.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			empty := true
			_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
			if !empty {
				return errors.New("the file has no Hookscope schema version; it was not written by Hookscope")
			}
			var err error
			if meta, err = tx.CreateBucket(bucketMeta); err != nil {
				return err
			}
			if err := meta.Put(keySchema, []byte(fmt.Sprint(SchemaVersion))); err != nil {
				return err
			}
		}
		if err := upgradeSchema(meta); err != nil {
			return err
		}
		for _, name := range [][]byte{bucketSummaries, bucketDetails, bucketBodies, bucketProjects} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		c := tx.Bucket(bucketSummaries).Cursor()
		if k, _ := c.Last(); k != nil {
			s.lastID = idFromKey(k)
		}
		if err := initIndexes(tx); err != nil {
			return err
		}
		if err := initSideBuckets(tx); err != nil {
			return err
		}
		return purgeTrash(tx)
	})
}

// Path is the file the store lives in.
func (s *Store) Path() string { return s.path }

// Close waits for pending writes, then closes the file.
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() {
		s.closeMu.Lock()
		s.closed = true
		s.closeMu.Unlock()
		close(s.done)
		s.release.stop()
		s.wg.Wait()
		s.subMu.Lock()
		for sub := range s.subs {
			delete(s.subs, sub)
			close(sub.c)
		}
		s.subMu.Unlock()
		err = s.db.Close()
	})
	return err
}

// ImportID issues an ID for a capture received at t that did not arrive here
// (an import): its receive time, or the next ID after it that is neither
// stored nor issued, so that it lists among the captures of its time rather
// than as the newest. IDs NewID issues later stay above it.
func (s *Store) ImportID(t time.Time) (ID, error) {
	s.idMu.Lock()
	defer s.idMu.Unlock()
	id := max(ID(t.UnixNano()), 1)
	err := s.view(func(tx *bolt.Tx) error {
		sums := tx.Bucket(bucketSummaries)
		for sums.Get(id.key()) != nil || s.importing[id] || inTrash(tx, id.key()) {
			id++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store %s: issue an import ID: %w", s.path, err)
	}
	// Until its Put commits, only this set tells the ID is taken.
	s.importing[id] = true
	s.lastID = max(s.lastID, id)
	return id, nil
}

// NewID issues a time-ordered unique ID for a capture received at t. A
// caller that must name the capture before storing it (the receiver puts the
// ID in its answer, which is stored too) takes one here and sets Capture.ID.
func (s *Store) NewID(t time.Time) ID {
	s.idMu.Lock()
	defer s.idMu.Unlock()
	id := ID(t.UnixNano())
	if id <= s.lastID {
		id = s.lastID + 1
	}
	s.lastID = id
	return id
}

type putReq struct {
	id      ID
	summary []byte
	detail  []byte // with the body, unless it is too large (see inlineBodyMax)
	body    []byte // the body when it is too large for the detail record
	sum     Summary
	done    chan error
}

// maxGroup bounds how many captures share one transaction and fsync.
const maxGroup = 256

// ErrClosed is returned by writes after Close.
var ErrClosed = errors.New("store is closed")

// Put stores c durably: when it returns nil the capture is on disk and
// fsync'd. It sets c.ReceivedAt when zero and c.ID when zero; a non-zero ID
// must come from NewID or ImportID.
//
// Concurrent Puts are committed together by one writer goroutine: it takes
// whatever is queued when the previous commit ends, so a lone request pays
// one fsync without waiting for a batch to fill (db.Batch would add its delay
// to every request at low load), and many requests share one fsync.
func (s *Store) Put(c *Capture) error {
	if c.ReceivedAt.IsZero() {
		c.ReceivedAt = s.opts.Now()
	}
	if c.ID == 0 {
		c.ID = s.NewID(c.ReceivedAt)
	}
	sum := c.Summary()
	req := &putReq{
		id:      c.ID,
		summary: encodeSummary(&sum),
		detail:  encodeDetail(c),
		body:    separateBody(c.Body),
		sum:     sum,
		done:    make(chan error, 1),
	}
	// The read lock orders this send before Close: once Close holds the
	// lock, nothing more is queued, so the writer's final drain sees every
	// queued request and no caller waits forever.
	s.closeMu.RLock()
	if s.closed {
		s.closeMu.RUnlock()
		return ErrClosed
	}
	s.puts <- req
	s.closeMu.RUnlock()
	return <-req.done
}

func (s *Store) writer() {
	defer s.wg.Done()
	group := make([]*putReq, 0, maxGroup)
	for {
		select {
		case <-s.done:
			// Finish what is queued: those callers are waiting.
			for {
				select {
				case r := <-s.puts:
					s.commit(append(group[:0], r))
				default:
					return
				}
			}
		case r := <-s.puts:
			group = append(group[:0], r)
		drain:
			for len(group) < maxGroup {
				select {
				case r := <-s.puts:
					group = append(group, r)
				default:
					break drain
				}
			}
			s.commit(group)
		}
	}
}

func (s *Store) commit(group []*putReq) {
	var pruned int
	var prunedTo ID
	err := s.update(func(tx *bolt.Tx) error {
		if err := putGroup(tx, group); err != nil {
			return err
		}
		// A store at its retention cap makes room in the same commit, so
		// steady capture at the cap costs no extra transaction and fsync;
		// a larger backlog is left to the background pruner.
		maxCount, maxAge := s.pruneLimits()
		var err error
		pruned, prunedTo, err = s.pruneInTx(tx, maxCount, maxAge, 2*len(group))
		return err
	})
	if err != nil {
		err = fmt.Errorf("store %s: write capture: %w", s.path, err)
	}
	s.idMu.Lock()
	if len(s.importing) > 0 {
		for _, r := range group {
			delete(s.importing, r.id)
		}
	}
	s.idMu.Unlock()
	for _, r := range group {
		r.done <- err
	}
	if err == nil {
		if pruned > 0 {
			s.publish(Event{Type: Pruned, ID: prunedTo})
		}
		for _, r := range group {
			s.publish(Event{Type: Added, ID: r.id, Summary: r.sum})
		}
		s.kickPrune()
	}
}

// putGroup writes a group's records, their ID index entries and counts.
func putGroup(tx *bolt.Tx, group []*putReq) error {
	sums, dets, bods := tx.Bucket(bucketSummaries), tx.Bucket(bucketDetails), tx.Bucket(bucketBodies)
	ids := tx.Bucket(bucketIDs)
	// Keys arrive nearly in order; a high fill percent keeps append-mostly
	// pages full instead of half empty.
	sums.FillPercent, dets.FillPercent, bods.FillPercent, ids.FillPercent = 0.9, 0.9, 0.9, 0.9
	counts := map[string]int64{}
	for _, r := range group {
		k := r.id.key()
		if err := sums.Put(k, r.summary); err != nil {
			return err
		}
		if err := ids.Put(k, indexed); err != nil {
			return err
		}
		counts[r.sum.Project]++
		if err := dets.Put(k, r.detail); err != nil {
			return err
		}
		if r.body != nil {
			if err := bods.Put(k, r.body); err != nil {
				return err
			}
		}
	}
	if err := addCount(tx, int64(len(group))); err != nil {
		return err
	}
	return addProjectCounts(tx, counts)
}

// upgradeSchema accepts the layouts this code reads and marks an older one
// as SchemaVersion (see there).
func upgradeSchema(meta *bolt.Bucket) error {
	v := string(meta.Get(keySchema))
	n, err := strconv.Atoi(v)
	if err != nil || n < oldestSchema || n > SchemaVersion {
		return fmt.Errorf("schema version %q is not supported (this Hookscope reads versions %d to %d); the file was left untouched", v, oldestSchema, SchemaVersion)
	}
	if n == SchemaVersion {
		return nil
	}
	return meta.Put(keySchema, []byte(strconv.Itoa(SchemaVersion)))
}

func addCount(tx *bolt.Tx, delta int64) error {
	meta := tx.Bucket(bucketMeta)
	n := int64(decUint(meta.Get(keyCount))) + delta
	if n < 0 {
		n = 0
	}
	return meta.Put(keyCount, binary.AppendUvarint(nil, uint64(n)))
}

// Get returns the whole capture with the given ID.
func (s *Store) Get(id ID) (*Capture, error) {
	var c *Capture
	err := s.view(func(tx *bolt.Tx) error {
		k := id.key()
		sv := tx.Bucket(bucketSummaries).Get(k)
		if sv == nil {
			return ErrNotFound
		}
		sum, err := decodeSummary(id, sv)
		if err != nil {
			return err
		}
		c = &Capture{
			ID: id, ReceivedAt: sum.ReceivedAt, Method: sum.Method, Path: sum.Path,
			RawQuery: sum.RawQuery, Project: sum.Project, Truncated: sum.Truncated,
			Response: Response{Status: sum.Status},
		}
		c.Signature.Status, c.Signature.Scheme, c.Signature.Detected = sum.SignatureStatus, sum.SignatureScheme, sum.SignatureDetected
		if err := decodeDetail(c, tx.Bucket(bucketDetails).Get(k)); err != nil {
			return err
		}
		if c.Body == nil {
			// Stored by schema version 1, or no body.
			if b := tx.Bucket(bucketBodies).Get(k); b != nil {
				c.Body = append([]byte(nil), b...)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("get capture %s: %w", id, err)
	}
	return c, nil
}

// Count is the number of captures stored.
func (s *Store) Count() (int, error) {
	var n int
	err := s.view(func(tx *bolt.Tx) error {
		n = int(decUint(tx.Bucket(bucketMeta).Get(keyCount)))
		return nil
	})
	return n, err
}

// Delete removes one capture.
func (s *Store) Delete(id ID) error {
	err := s.update(func(tx *bolt.Tx) error {
		k := id.key()
		if tx.Bucket(bucketSummaries).Get(k) == nil {
			return ErrNotFound
		}
		if err := deleteKey(tx, k); err != nil {
			return err
		}
		return addCount(tx, -1)
	})
	if err != nil {
		return fmt.Errorf("delete capture %s: %w", id, err)
	}
	s.publish(Event{Type: Deleted, ID: id})
	return nil
}

func deleteKey(tx *bolt.Tx, k []byte) error {
	if v := tx.Bucket(bucketSummaries).Get(k); v != nil {
		if err := addProjectCounts(tx, map[string]int64{summaryProject(v): -1}); err != nil {
			return err
		}
	}
	for _, name := range [][]byte{bucketSummaries, bucketDetails, bucketBodies, bucketIDs} {
		if err := tx.Bucket(name).Delete(k); err != nil {
			return err
		}
	}
	return deleteCaptureDeliveries(tx, k)
}

// Clear removes every capture.
func (s *Store) Clear() error {
	err := s.update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketSummaries, bucketDetails, bucketBodies} {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		if err := clearCaptureDeliveries(tx); err != nil {
			return err
		}
		if err := resetIndexes(tx); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keyCount, []byte{0})
	})
	if err != nil {
		return fmt.Errorf("clear captures: %w", err)
	}
	s.publish(Event{Type: Cleared})
	return nil
}

// Empty reports whether the store holds nothing: no capture, no project and
// no delivery.
func (s *Store) Empty() (bool, error) {
	empty := true
	err := s.view(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketSummaries, bucketProjects, bucketDeliveries} {
			if b := tx.Bucket(name); b != nil {
				if k, _ := b.Cursor().First(); k != nil {
					empty = false
				}
			}
		}
		return nil
	})
	return empty, err
}
