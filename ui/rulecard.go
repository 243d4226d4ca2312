package ui

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/projects/rules"
)

// ruleCard is one rule of the Rules tab: its name and switch, what it
// matches, its steps and what answers after the last one.
type ruleCard struct {
	ed                   *rulesEditor
	name                 *escEntry
	enabled              *escCheck
	methods, path        *escEntry
	headers, query, body *escEntry
	signature            *dropdown
	after                *dropdown
	// loadedAfter is the rule's After as loaded: "" (the default) stays ""
	// while the default is chosen, so an unedited rule reads back as it
	// was — same hash, same counter — and the form is not taken for edited.
	loadedAfter string
	steps       []*stepRow
	stepsBox    *fyne.Container
	count       *widget.Label
	errs        *widget.Label
	// placed says where a preset landed among the other rules.
	placed           *widget.Label
	up, down, remove *widget.Button
	reset, addStep   *widget.Button
	object           fyne.CanvasObject
}

// stepRow is one step of a rule.
type stepRow struct {
	action         *dropdown
	status, delay  *escEntry
	headers, body  *escEntry
	remove         *widget.Button
	errs           *widget.Label
	object         fyne.CanvasObject
	card           *ruleCard
	actionSelected string
}

const anySignature = "any"

var afterTitles = map[string]string{
	rules.AfterRepeatLast: "repeat the last step",
	rules.AfterCycle:      "start over from the first step",
	rules.AfterNextRule:   "let the next rule answer",
}

func afterOptions() []string {
	out := make([]string, len(rules.Afters))
	for i, a := range rules.Afters {
		out[i] = afterTitles[a]
	}
	return out
}

func afterValue(title string) string {
	for k, v := range afterTitles {
		if v == title {
			return k
		}
	}
	return rules.AfterRepeatLast
}

func (ed *rulesEditor) newRuleCard(r rules.Rule) *ruleCard {
	c := &ruleCard{ed: ed}
	changed := func(string) { ed.changed() }
	esc := ed.w.escape
	c.name = newCheckedEntry(esc)
	c.name.SetPlaceHolder("e.g. flaky")
	c.name.OnChanged = changed
	c.enabled = newEscCheck("Enabled", func(bool) { ed.changed() }, esc)
	c.methods = newEscEntry(esc)
	c.methods.SetPlaceHolder("e.g. POST, PUT — empty: any method")
	c.methods.OnChanged = changed
	c.path = newEscEntry(esc)
	c.path.SetPlaceHolder("e.g. /isahit/*/review — empty: any path; * is one segment")
	c.path.OnChanged = changed
	c.headers = conditionEntry("e.g. X-Event: ingested — Name: value, Name: /regex/, or Name: for present", changed, esc)
	c.query = conditionEntry("e.g. batch: b-1", changed, esc)
	c.body = conditionEntry("e.g. type: review — a JSON path per line: data.eventType: done, docs.#: 3", changed, esc)
	c.signature = newDropdown(ed.w.win.Canvas, []string{anySignature, rules.SignatureValid, rules.SignatureInvalid, rules.SignatureMissing}, changed)
	c.after = newDropdown(ed.w.win.Canvas, afterOptions(), changed)
	c.stepsBox = container.NewVBox()
	c.addStep = widget.NewButtonWithIcon("Add step", theme.ContentAddIcon(), func() {
		c.addStepRow(rules.Step{Action: rules.ActionRespond, Status: 200})
		ed.changed()
	})
	c.count = widget.NewLabel("")
	c.reset = widget.NewButtonWithIcon("Reset counter", theme.ViewRefreshIcon(), func() { ed.resetCounter(c) })
	c.errs = newFieldError()
	c.placed = noteLabel("", widget.WarningImportance)
	c.placed.Hide()
	c.up = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { ed.move(c, -1) })
	c.down = widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { ed.move(c, 1) })
	c.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { ed.removeCard(c) })

	match := widget.NewForm(
		widget.NewFormItem("Methods", c.methods),
		widget.NewFormItem("Path", c.path),
		widget.NewFormItem("Headers", c.headers),
		widget.NewFormItem("Query", c.query),
		widget.NewFormItem("JSON body", c.body),
		widget.NewFormItem("Signature", c.signature),
	)
	head := container.NewBorder(nil, nil, c.enabled, container.NewHBox(c.count, c.reset, c.up, c.down, c.remove), c.name)
	afterRow := container.NewBorder(nil, nil, widget.NewLabel("After the last step:"), nil, c.after)
	c.object = container.NewVBox(widget.NewSeparator(), head, c.placed, c.errs,
		widget.NewLabelWithStyle("Matches", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), match,
		widget.NewLabelWithStyle("Steps, one per matching request", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		c.stepsBox, c.addStep, afterRow)
	c.set(r)
	return c
}

func conditionEntry(placeholder string, changed func(string), onEscape func() bool) *escEntry {
	e := newEscMultiLineEntry(onEscape)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.SetPlaceHolder(placeholder)
	e.SetMinRowsVisible(2)
	e.OnChanged = changed
	return e
}

// sayPlace shows, above the card's fields, where it landed among the rules.
func (c *ruleCard) sayPlace(msg string) {
	c.placed.SetText(msg)
	c.placed.Show()
}

// set puts r in the card.
func (c *ruleCard) set(r rules.Rule) {
	c.name.SetText(r.Name)
	c.enabled.SetChecked(r.Enabled)
	c.methods.SetText(strings.Join(r.Match.Methods, ", "))
	c.path.SetText(r.Match.Path)
	c.headers.SetText(formatConditions(r.Match.Headers))
	c.query.SetText(formatConditions(r.Match.Query))
	c.body.SetText(formatConditions(r.Match.Body))
	sig := r.Match.Signature
	if sig == "" {
		sig = anySignature
	}
	c.signature.SetSelected(sig)
	c.loadedAfter = r.After
	c.after.SetSelected(afterTitles[r.AfterOrDefault()])
	for _, st := range r.Steps {
		c.addStepRow(st)
	}
}

// rule reads the card; local holds the errors of fields that do not even
// parse, keyed like rules.Validate's under at ("rules[0].").
func (c *ruleCard) rule(at string, local map[string]string) rules.Rule {
	r := rules.Rule{Name: c.name.Text, Enabled: c.enabled.Checked, After: afterValue(c.after.Selected)}
	if (rules.Rule{After: c.loadedAfter}).AfterOrDefault() == r.After {
		r.After = c.loadedAfter
	}
	for _, m := range strings.Split(c.methods.Text, ",") {
		if m = strings.TrimSpace(m); m != "" {
			r.Match.Methods = append(r.Match.Methods, strings.ToUpper(m))
		}
	}
	r.Match.Path = strings.TrimSpace(c.path.Text)
	r.Match.Headers = parseConditions(c.headers.Text, at+"match.headers", local)
	r.Match.Query = parseConditions(c.query.Text, at+"match.query", local)
	r.Match.Body = parseConditions(c.body.Text, at+"match.body", local)
	if s := c.signature.Selected; s != anySignature {
		r.Match.Signature = s
	}
	for j, s := range c.steps {
		r.Steps = append(r.Steps, s.step(fmt.Sprintf("%ssteps[%d].", at, j), local))
	}
	return r
}

// parseConditions reads "Name: value" lines into a map; a line without a
// colon is an error at key.
func parseConditions(text, key string, local map[string]string) map[string]string {
	var out map[string]string
	for i, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(name) == "" {
			local[key] = fmt.Sprintf("line %d: write Name: value (value empty for present)", i+1)
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[strings.TrimSpace(name)] = strings.TrimSpace(value)
	}
	return out
}

func formatConditions(m map[string]string) string {
	names := slices.Sorted(maps.Keys(m))
	lines := make([]string, len(names))
	for i, n := range names {
		lines[i] = n + ": " + m[n]
	}
	return strings.Join(lines, "\n")
}

func (c *ruleCard) addStepRow(st rules.Step) *stepRow {
	s := &stepRow{card: c}
	changed := func(string) { c.ed.changed() }
	esc := c.ed.w.escape
	s.action = newDropdown(c.ed.w.win.Canvas, rules.Actions, func(a string) { s.actionSelected = a; s.showFields(); c.ed.changed() })
	s.status = newCheckedEntry(esc)
	s.status.SetPlaceHolder("e.g. 503 or {{query.code}} — empty: the fallback answer's")
	s.status.OnChanged = changed
	s.delay = newCheckedEntry(esc)
	s.delay.OnChanged = changed
	s.headers = conditionEntry("e.g. Retry-After: 30 — templates too: {{header \"X-Request-Id\"}}", changed, esc)
	s.body = conditionEntry(`e.g. {"ok":true,"task":"{{body.taskId}}"}`, changed, esc)
	s.errs = newFieldError()
	s.remove = widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() {
		c.steps = without(c.steps, s)
		c.stepsBox.Remove(s.object)
		c.ed.changed()
	})
	top := container.NewBorder(nil, nil, fixedWidth(s.action, 110), s.remove,
		container.NewGridWithColumns(2, s.status, s.delay))
	s.object = container.NewVBox(top, s.headers, s.body, s.errs)
	s.action.SetSelected(st.Action)
	if st.StatusText != "" {
		s.status.SetText(st.StatusText)
	} else if st.Status != 0 {
		s.status.SetText(strconv.Itoa(st.Status))
	}
	if st.DelayMS != 0 {
		s.delay.SetText(strconv.Itoa(st.DelayMS))
	}
	s.headers.SetText(formatConditions(st.Headers))
	s.body.SetText(st.Body)
	s.showFields()
	c.steps = append(c.steps, s)
	c.stepsBox.Add(s.object)
	return s
}

// showFields hides what the action does not use: drop, reset and hang send
// no status, headers or body.
func (s *stepRow) showFields() {
	sends := s.actionSelected == rules.ActionRespond || s.actionSelected == rules.ActionPartial
	for _, o := range []fyne.CanvasObject{s.status, s.headers, s.body} {
		if sends {
			o.Show()
		} else {
			o.Hide()
		}
	}
	if s.actionSelected == rules.ActionHang {
		s.delay.SetPlaceHolder("e.g. 5000 ms at most — empty: 120 s")
	} else {
		s.delay.SetPlaceHolder("e.g. 250 ms of delay")
	}
}

func (s *stepRow) step(at string, local map[string]string) rules.Step {
	st := rules.Step{Action: s.action.Selected, Body: s.body.Text}
	// A status with a template is kept as text and checked by
	// rules.Validate; any other is a number, as the API writes it.
	if t := strings.TrimSpace(s.status.Text); strings.Contains(t, "{{") {
		st.StatusText = t
	} else if t != "" {
		n, err := strconv.Atoi(t)
		if err != nil {
			local[at+"status"] = "status must be a whole number from 200 to 599, or a template such as {{query.code}}"
		}
		st.Status = n
	}
	if t := strings.TrimSpace(s.delay.Text); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil {
			local[at+"delay_ms"] = "delay must be a whole number of milliseconds"
		}
		st.DelayMS = n
	}
	st.Headers = parseConditions(s.headers.Text, at+"headers", local)
	if st.Action != rules.ActionRespond && st.Action != rules.ActionPartial {
		st.Status, st.StatusText, st.Headers, st.Body = 0, "", nil, ""
	}
	return st
}

// showErrors shows the card's errors (at is "rules[i].") under the fields
// they belong to, and marks them shown.
func (c *ruleCard) showErrors(at string, errs map[string]string, shown map[string]bool) {
	var own []string
	for j, s := range c.steps {
		sat := fmt.Sprintf("%ssteps[%d].", at, j)
		var msgs []string
		for k, v := range errs {
			if strings.HasPrefix(k, sat) {
				msgs = append(msgs, strings.TrimPrefix(k, sat)+": "+v)
				shown[k] = true
			}
		}
		sort.Strings(msgs)
		showFieldError(s.errs, nil, strings.Join(msgs, "\n"))
		entryError(s.status, errs[sat+"status"])
		entryError(s.delay, errs[sat+"delay_ms"])
	}
	for k, v := range errs {
		if strings.HasPrefix(k, at) && !shown[k] {
			own = append(own, strings.TrimPrefix(k, at)+": "+v)
			shown[k] = true
		}
	}
	sort.Strings(own)
	showFieldError(c.errs, nil, strings.Join(own, "\n"))
	entryError(c.name, errs[at+"name"])
}

func entryError(e *escEntry, msg string) {
	if msg == "" {
		e.SetValidationError(nil)
	} else {
		e.SetValidationError(fmt.Errorf("%s", msg))
	}
}
