package receiver

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"hookscope/export"
	"hookscope/query"
	"hookscope/store"
)

// maxImport bounds an import's body: the readers hold the file in memory.
const maxImport = 1 << 30

func (a *localAPI) queryRoutes(mux *http.ServeMux) {
	const p = "/_hookscope/api"
	mux.HandleFunc("GET "+p+"/captures/export", a.exportCaptures)
	mux.HandleFunc("POST "+p+"/captures/import", a.importCaptures)
}

// queryFilter reads the q parameter in the search box's syntax, answering
// 400 {"error", "position"} itself for a syntax error. Dates are the
// server's local days, as the window reads them.
func queryFilter(w http.ResponseWriter, r *http.Request) (store.Filter, bool) {
	q, err := query.Parse(r.URL.Query().Get("q"), time.Local)
	var syntax *query.Error
	if errors.As(err, &syntax) {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "q: " + syntax.Error(), "position": syntax.Pos})
		return store.Filter{}, false
	}
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, "q: "+err.Error())
		return store.Filter{}, false
	}
	if q.Empty() {
		return store.Filter{}, true
	}
	return store.Filter{Query: q}, true
}

// exportCaptures streams the captures q selects, oldest first, as HAR 1.2
// (each entry with the capture's own URL) or JSON Lines.
func (a *localAPI) exportCaptures(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("format")
	if format != "har" && format != "jsonl" {
		writeJSONError(w, http.StatusBadRequest, fmt.Sprintf("format must be har or jsonl, not %q", format))
		return
	}
	f, ok := queryFilter(w, r)
	if !ok {
		return
	}
	if format == "har" {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Disposition", `attachment; filename="captures.har"`)
		// An error after the first byte can no longer change the status:
		// the document is left unfinished, which a reader refuses.
		_, _ = export.ExportHAR(w, a.store, f, "")
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Content-Disposition", `attachment; filename="captures.jsonl"`)
	_, _ = export.ExportJSONL(w, a.store, f)
}

// ImportJSON is what an import did.
type ImportJSON struct {
	Format     string `json:"format"`
	Stored     int    `json:"stored"`
	Duplicates int    `json:"duplicates"`
}

// importCaptures stores the captures of a HAR file or a JSON Lines export,
// each classified into its project and checked as on arrival; captures
// already stored are skipped and counted, as the window's import does.
func (a *localAPI) importCaptures(w http.ResponseWriter, r *http.Request) {
	caps, format, err := export.ReadCaptures(http.MaxBytesReader(w, r.Body, maxImport))
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, "import: "+err.Error())
		return
	}
	for _, c := range caps {
		a.book.Classify(c)
	}
	res, err := export.Import(a.store, caps)
	if err != nil {
		writeError(w, fmt.Errorf("import: %w", err))
		return
	}
	name := "jsonl"
	if format == export.FormatHAR {
		name = "har"
	}
	writeJSON(w, http.StatusOK, ImportJSON{Format: name, Stored: res.Stored, Duplicates: res.Duplicates})
}

// announce names this instance next to its database, so a second process
// that finds the file locked can say who holds it ("" when the receiver
// stops). A failure costs only that message.
func (s *Server) announce(addr string) {
	if addr == "" {
		s.store.Unannounce()
		return
	}
	_ = s.store.Announce(addr)
}
