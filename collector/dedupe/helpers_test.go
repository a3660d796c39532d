package dedupe

import "strings"

type sliceWriter struct{ b *[]byte }

func (w *sliceWriter) Write(p []byte) (int, error) { *w.b = append(*w.b, p...); return len(p), nil }

func splitLines(s string) []string { return strings.Split(s, "\n") }
