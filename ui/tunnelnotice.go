package ui

import (
	"cmp"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"hookscope/tunnel"
)

// A quick tunnel (cloudflared without an account, ngrok without a fixed
// domain) gets a new URL on every start: after a crash, a Retry or an app
// restart the URL the user pasted into a platform's webhook settings no
// longer works, and nothing else would tell them. The bar remembers the URL
// the user has (the first one it showed, then the last one they copied),
// in the store so that it outlives the app, and says so while the URL
// online differs from it.

func changedNote(previous string) string {
	return "New public URL — the previous one (" + previous + ") no longer works: update your platform's webhook settings."
}

// noticeChange compares an online URL with the one the user has.
func (p *publicBar) noticeChange(s tunnel.State) {
	if s.Status != tunnel.StatusOnline || s.URL == "" || !p.loaded {
		return
	}
	p.lastURL = s.URL
	if s.Provider == tunnel.Custom {
		// The user typed it: they know it changed.
		p.previous = ""
		return
	}
	if p.saved.LastURL == "" {
		// Nothing remembered yet: the manager knows the URL a restart
		// replaced, if any.
		p.remember(cmp.Or(s.PreviousURL, s.URL))
	}
	p.previous = ""
	if s.URL != p.saved.LastURL {
		p.previous = p.saved.LastURL
	}
}

// seen records that the user took u (copied it, or a receive URL under
// it): the notice goes until the URL changes again.
func (p *publicBar) seen(u string) {
	if u == "" || u == p.saved.LastURL || !p.loaded {
		return
	}
	p.remember(u)
	p.show(p.current)
}

// remember stores u as the URL the user has.
func (p *publicBar) remember(u string) {
	p.saved.LastURL = u
	ts := p.saved
	backgroundDo(p.w, func() error { return p.w.st.PutTunnelSettings(ts) }, func(err error) {
		if err != nil {
			p.w.warn("The public URL was not remembered: " + err.Error())
		}
	})
}

// showDetails opens the whole reason of a failure or a reconnection, with
// the log lines it quotes, and what to do.
func (p *publicBar) showDetails() {
	s := p.current
	why := widget.NewLabel(logLines(s.Err))
	why.Wrapping = fyne.TextWrapWord
	why.TextStyle = fyne.TextStyle{Monospace: strings.Contains(why.Text, "\n")}
	what := widget.NewLabel(s.Hint)
	what.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(widget.NewLabelWithStyle("Why", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), why)
	if s.Hint != "" {
		box.Add(widget.NewLabelWithStyle("What to do", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		box.Add(what)
	}
	title := choiceOf(s.Provider) + " failed"
	if s.Status == tunnel.StatusReconnecting {
		title = choiceOf(s.Provider) + " is reconnecting"
	}
	d := dialog.NewCustom(title, "Close", container.NewVScroll(box), p.w.win)
	d.Resize(fyne.NewSize(680, 420))
	d.Show()
	p.shownDetails = d
}

// saidSep is how the tunnel package quotes cloudflared's log lines after a
// reason: "<reason>; cloudflared said: <line> | <line>".
const saidSep = "; cloudflared said: "

// firstLine is the reason in s without the log lines it quotes: the bar
// has room for why, Details for the rest.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	line, _, _ := strings.Cut(s, "\n")
	line, _, _ = strings.Cut(line, saidSep)
	return strings.TrimSpace(line)
}

// logLines puts each log line the reason quotes on a line of its own.
func logLines(s string) string {
	reason, said, ok := strings.Cut(strings.TrimSpace(s), saidSep)
	if !ok {
		return strings.TrimSpace(s)
	}
	return reason + "\n\ncloudflared said:\n" + strings.ReplaceAll(said, " | ", "\n")
}

// oneLine folds runs of white space, so nothing in s breaks the bar's line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
