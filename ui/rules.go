package ui

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/projects"
	"hookscope/projects/rules"
	"hookscope/store"
)

// rulesEditor is the project editor's Rules tab: the project's response
// rules in order (first match wins), each a small form, with presets, each
// rule's counter and a box that runs a pasted request through the rules as
// they stand in the form. The rules themselves (matching, sequences,
// templates, validation) belong to package rules; this only edits them.
type rulesEditor struct {
	w        *Window
	onChange func()
	loading  bool
	scope    string
	// counted is false for a project not saved yet: it has no counters.
	counted bool
	cards   []*ruleCard
	box     *fyne.Container
	empty   *widget.Label
	presets *dropdown
	addRule *widget.Button
	// counts are the stored counters, by rule name and hash.
	counts map[string]uint64

	testMethod  *escEntry
	testTarget  *escEntry
	testHeaders *escEntry
	testBody    *escEntry
	testButton  *widget.Button
	testResult  *widget.Label
	object      fyne.CanvasObject
	// page scrolls object: the dialog that holds the editor shows it.
	page               *pageScroll
	presetRules        map[string]rules.Rule
	presetTitlesSorted []string
}

func newRulesEditor(w *Window, onChange func()) *rulesEditor {
	ed := &rulesEditor{w: w, onChange: onChange, counts: map[string]uint64{}, presetRules: map[string]rules.Rule{}}
	fail := rules.Step{Action: rules.ActionRespond, Status: 500}
	for _, p := range rules.Presets() {
		ed.presetTitlesSorted = append(ed.presetTitlesSorted, p.Title)
		ed.presetRules[p.Title] = p.Rule
	}
	for title, r := range map[string]rules.Rule{
		"only the 3rd request: 500": rules.OnlyNth("only the 3rd", rules.Match{}, 3, fail),
		"every 3rd request: 500":    rules.EveryNth("every 3rd", rules.Match{}, 3, fail),
		"echo the task id (template)": {Name: "echo", Enabled: true, Steps: []rules.Step{{Action: rules.ActionRespond, Status: 200,
			Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"ok":true,"task":"{{body.taskId}}","n":{{n}}}`}}},
	} {
		ed.presetTitlesSorted = append(ed.presetTitlesSorted, title)
		ed.presetRules[title] = r
	}
	slices.Sort(ed.presetTitlesSorted[len(rules.Presets()):])
	ed.presets = newDropdown(w.win.Canvas, ed.presetTitlesSorted, func(title string) {
		if title == "" {
			return
		}
		ed.addPreset(title)
		ed.presets.ClearSelected()
	})
	ed.presets.PlaceHolder = "Add a preset…"
	ed.addRule = widget.NewButtonWithIcon("Add rule", theme.ContentAddIcon(), func() {
		c := ed.add(rules.Rule{Name: ed.freeName("rule"), Enabled: true, Steps: []rules.Step{{Action: rules.ActionRespond, Status: 500}}})
		ed.page.reveal(c.object)
	})
	ed.box = container.NewVBox()
	ed.empty = noteLabel("No rules: every capture gets the Response tab's answer.", widget.LowImportance)
	intro := noteLabel("Rules answer like a flaky server on purpose. The first enabled rule that matches a request answers it with its "+
		"next step; the Response tab's answer is the fallback. Templates in headers and body: "+rules.TemplateHelp+". Save to keep changes.",
		widget.LowImportance)
	ed.object = container.NewVBox(intro, container.NewBorder(nil, nil, nil, ed.addRule, ed.presets), ed.box, ed.empty, ed.testBox())
	ed.page = newPageScroll(ed.object)
	return ed
}

// testBox is the "Test rule" box: a request typed or pasted in, run through
// the form's rules without counting.
func (ed *rulesEditor) testBox() fyne.CanvasObject {
	esc := ed.w.escape
	ed.testMethod = newEscEntry(esc)
	ed.testMethod.SetText("POST")
	ed.testTarget = newEscEntry(esc)
	ed.testTarget.SetPlaceHolder("e.g. /integration/ingested?batch=b-1")
	ed.testHeaders = conditionEntry("e.g. X-Event: ingested", nil, esc)
	ed.testBody = conditionEntry(`e.g. {"type":"review","taskId":"t-1"}`, nil, esc)
	ed.testResult = widget.NewLabel("")
	ed.testResult.Wrapping = fyne.TextWrapWord
	for _, en := range []*escEntry{ed.testMethod, ed.testTarget, ed.testHeaders, ed.testBody} {
		en.OnChanged = func(string) { ed.clearTest() }
	}
	ed.testButton = widget.NewButtonWithIcon("Test rule", theme.MediaPlayIcon(), ed.runTest)
	form := widget.NewForm(
		widget.NewFormItem("Request", container.NewBorder(nil, nil, fixedWidth(ed.testMethod, 90), nil, ed.testTarget)),
		widget.NewFormItem("Headers", ed.testHeaders),
		widget.NewFormItem("Body", ed.testBody),
	)
	return widget.NewCard("Test rule", "Which rule and step would answer this request next (nothing is counted)",
		container.NewVBox(form, container.NewBorder(nil, nil, ed.testButton, nil, ed.testResult)))
}

// load shows scope's rules ("" for Unsorted's) and, when counted, fetches
// their counters.
func (ed *rulesEditor) load(scope string, counted bool, rs []rules.Rule) {
	ed.loading = true
	ed.scope, ed.counted = scope, counted
	ed.cards = nil
	ed.box.Objects = nil
	for _, r := range rs {
		ed.appendCard(r)
	}
	ed.loading = false
	ed.refreshList()
	if counted {
		ed.loadCounts()
	}
}

func (ed *rulesEditor) appendCard(r rules.Rule) *ruleCard {
	c := ed.newRuleCard(r)
	ed.cards = append(ed.cards, c)
	ed.box.Add(c.object)
	return c
}

func (ed *rulesEditor) add(r rules.Rule) *ruleCard {
	return ed.insert(len(ed.cards), r)
}

// insert puts r's card at index at.
func (ed *rulesEditor) insert(at int, r rules.Rule) *ruleCard {
	ed.loading = true
	c := ed.newRuleCard(r)
	ed.loading = false
	ed.cards = slices.Insert(ed.cards, at, c)
	ed.refreshList()
	ed.changed()
	return c
}

// addPreset adds the preset where it can answer: before the first rule that
// answers every request (a catch-all would answer first for ever), else
// after the others. The new card comes into view, saying where it landed
// when rules answer before it.
func (ed *rulesEditor) addPreset(title string) {
	r, ok := ed.presetRules[title]
	if !ok {
		return
	}
	r.Name = ed.freeName(r.Name)
	rs, _ := ed.rules()
	at := slices.IndexFunc(rs, rules.Rule.CatchAll)
	if at < 0 {
		at = len(rs)
	}
	c := ed.insert(at, r)
	switch {
	case at < len(rs):
		c.sayPlace(fmt.Sprintf("Added before %q, which answers every request: below it, this rule would never answer.", rs[at].Name))
	case at == 1:
		c.sayPlace("Added last: the rule above answers first when it matches; move this one up to change that.")
	case at > 1:
		c.sayPlace(fmt.Sprintf("Added last: the %d rules above answer first when they match; move this one up to change that.", at))
	}
	ed.page.reveal(c.object)
}

// freeName is base, or base with the first number that makes it unique.
func (ed *rulesEditor) freeName(base string) string {
	taken := map[string]bool{}
	for _, c := range ed.cards {
		taken[c.name.Text] = true
	}
	name := base
	for i := 2; taken[name]; i++ {
		name = fmt.Sprintf("%s %d", base, i)
	}
	return name
}

func (ed *rulesEditor) move(c *ruleCard, by int) {
	i := slices.Index(ed.cards, c)
	j := i + by
	if i < 0 || j < 0 || j >= len(ed.cards) {
		return
	}
	ed.cards[i], ed.cards[j] = ed.cards[j], ed.cards[i]
	ed.refreshList()
	ed.changed()
}

func (ed *rulesEditor) removeCard(c *ruleCard) {
	ed.cards = without(ed.cards, c)
	ed.refreshList()
	ed.changed()
}

// refreshList lays the cards out in order and enables their arrows.
func (ed *rulesEditor) refreshList() {
	ed.box.Objects = nil
	for i, c := range ed.cards {
		ed.box.Objects = append(ed.box.Objects, c.object)
		setEnabled(c.up, i > 0)
		setEnabled(c.down, i < len(ed.cards)-1)
	}
	ed.box.Refresh()
	if len(ed.cards) == 0 {
		ed.empty.Show()
	} else {
		ed.empty.Hide()
	}
}

func setEnabled(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

func (ed *rulesEditor) changed() {
	if ed.loading {
		return
	}
	ed.clearTest()
	ed.showCounts()
	if ed.onChange != nil {
		ed.onChange()
	}
}

// rules reads the form; local holds the errors of fields that do not parse,
// keyed like rules.Validate's.
func (ed *rulesEditor) rules() ([]rules.Rule, map[string]string) {
	local := map[string]string{}
	if len(ed.cards) == 0 {
		return nil, local
	}
	out := make([]rules.Rule, len(ed.cards))
	for i, c := range ed.cards {
		out[i] = c.rule(fmt.Sprintf("rules[%d].", i), local)
	}
	return out, local
}

// showErrors shows every "rules…" error beside its rule or step.
func (ed *rulesEditor) showErrors(errs map[string]string, shown map[string]bool) {
	for i, c := range ed.cards {
		c.showErrors(fmt.Sprintf("rules[%d].", i), errs, shown)
	}
}

// loadCounts fetches the stored counters of the rules as saved.
func (ed *rulesEditor) loadCounts() {
	rs, _ := ed.rules()
	scope := ed.scope
	background(ed.w, func() ([]uint64, error) { return ed.w.srv.Projects().RuleCounts(scope, rs) }, func(ns []uint64, err error) {
		if err != nil || scope != ed.scope {
			return
		}
		ed.counts = map[string]uint64{}
		for i, r := range rs {
			ed.counts[r.Name+"\x00"+r.Hash()] = ns[i]
		}
		ed.showCounts()
	})
}

// count is a rule's stored count; an edited rule starts over when saved.
func (ed *rulesEditor) count(r rules.Rule) (uint64, bool) {
	n, ok := ed.counts[r.Name+"\x00"+r.Hash()]
	return n, ok
}

func (ed *rulesEditor) showCounts() {
	rs, _ := ed.rules()
	for i, c := range ed.cards {
		n, ok := ed.count(rs[i])
		switch {
		case !ed.counted:
			c.count.SetText("")
			c.reset.Hide()
		case !ok:
			c.count.SetText("counter starts at 0 when saved")
			c.reset.Hide()
		default:
			c.count.SetText(fmt.Sprintf("matched %d", n))
			c.reset.Show()
		}
	}
}

func (ed *rulesEditor) resetCounter(c *ruleCard) {
	name, scope := c.name.Text, ed.scope
	background(ed.w, func() (struct{}, error) { return struct{}{}, ed.w.st.ResetRuleCounts(scope, name) }, func(_ struct{}, err error) {
		if err != nil {
			dialog.ShowError(err, ed.w.win)
			return
		}
		ed.w.flash("Rule " + name + " starts over from its first step")
		ed.loadCounts()
	})
}

// clearTest takes the Test rule result away once the rules or the request
// it was for are edited: it would answer for something no longer on show.
func (ed *rulesEditor) clearTest() {
	if ed.testResult != nil && ed.testResult.Text != "" {
		ed.testResult.SetText("")
	}
}

// runTest shows which rule and step would answer the typed request.
func (ed *rulesEditor) runTest() {
	rs, local := ed.rules()
	if errs := rules.Validate(rs); len(errs) > 0 || len(local) > 0 {
		ed.testResult.SetText("Fix the rules first.")
		return
	}
	target := strings.TrimSpace(ed.testTarget.Text)
	if !strings.HasPrefix(target, "/") {
		target = "/" + target
	}
	p, q, _ := strings.Cut(target, "?")
	c := &store.Capture{Method: strings.ToUpper(strings.TrimSpace(ed.testMethod.Text)), Path: p, RawQuery: q,
		Header: http.Header{}, Body: []byte(ed.testBody.Text)}
	for name, v := range parseConditions(ed.testHeaders.Text, "test", map[string]string{}) {
		c.Header.Add(name, v)
	}
	// The receiver checks the signature as arrival would: a rule may ask
	// for an invalid one.
	ed.w.srv.Projects().Classify(c)
	req := projects.RuleRequest(c)
	counts := make([]uint64, len(rs))
	for i, r := range rs {
		counts[i], _ = ed.count(r)
	}
	ed.testResult.SetText(describeChoice(rs, req, counts))
}

// describeChoice says in words what DryRun found.
func describeChoice(rs []rules.Rule, req *rules.Request, counts []uint64) string {
	choice, ok := rules.DryRun(rs, req, counts)
	if !ok {
		return "No rule answers: the Response tab's answer goes out."
	}
	r := rs[choice.Rule]
	return fmt.Sprintf("Rule %q answers (its request #%d): step %d of %d — %s.",
		r.Name, choice.N, choice.Step+1, len(r.Steps), r.Steps[choice.Step].Summary())
}
