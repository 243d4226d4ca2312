package store

// NotifyChoices are the values of Project.Notify ("" takes the default from
// the window's Settings).
var NotifyChoices = []string{"", "all", "problems", "off"}
