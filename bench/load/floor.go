package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"syscall"
)

// floorJournal is the cheapest receiver that keeps Hookscope's promise
// (answer only after the request is on disk): it appends bodies to one file
// and answers after fdatasync, committing everything that queued during the
// previous sync together, as Hookscope's store does. It has no index, no
// headers, no reads. Its throughput is the ceiling any durable receiver can
// reach on the machine; the gap between it and the no-op server is what
// one fsync per group costs there, whatever the storage engine.
type floorJournal struct {
	f    *os.File
	reqs chan floorReq
}

type floorReq struct {
	body []byte
	done chan error
}

func newFloorJournal(path string) (*floorJournal, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open journal %s: %w", path, err)
	}
	j := &floorJournal{f: f, reqs: make(chan floorReq, 1024)}
	go j.writer()
	return j, nil
}

func (j *floorJournal) writer() {
	var group []floorReq
	var buf []byte
	for r := range j.reqs {
		group = append(group[:0], r)
	drain:
		for len(group) < 256 {
			select {
			case r := <-j.reqs:
				group = append(group, r)
			default:
				break drain
			}
		}
		buf = buf[:0]
		for _, r := range group {
			buf = append(buf, r.body...)
		}
		_, err := j.f.Write(buf)
		if err == nil {
			err = syscall.Fdatasync(int(j.f.Fd()))
		}
		for _, r := range group {
			r.done <- err
		}
	}
}

func (j *floorJournal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	done := make(chan error, 1)
	j.reqs <- floorReq{body: body, done: done}
	if err := <-done; err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func serveFloor(addr, journal string) error {
	j, err := newFloorJournal(journal)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	return http.Serve(ln, j)
}
