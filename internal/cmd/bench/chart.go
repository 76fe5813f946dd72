package main

import (
	"image/color"
	"os"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// series are the points of one step for one provider, by number of users.
func series(results []measurement, step, provider string, y func(measurement) float64) plotter.XYs {
	var pts plotter.XYs
	for _, m := range results {
		if m.Step == step && m.Provider == provider && m.Resources > 0 {
			pts = append(pts, plotter.XY{X: float64(m.Resources), Y: y(m)})
		}
	}
	sort.Slice(pts, func(i, j int) bool { return pts[i].X < pts[j].X })
	return pts
}

var providerColors = map[string]color.Color{
	"scim":    color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	"floor":   color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
	"minimal": color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
}

var providerLabels = map[string]string{
	"scim": "provider", "floor": "floor, real schema", "minimal": "floor, minimal schema",
}

// writeChart draws the wall time of create and plan against the number of
// users for the provider and both floors, and beside it the requests one
// refresh (a no-change plan) sends, with paged refresh and with one GET
// each (and for the memberships of one group), and the apply time of
// workspaces applied at once behind one limit, as one SVG.
func writeChart(path string, results []measurement) error {
	wall := func(m measurement) float64 { return m.WallS }
	requests := func(m measurement) float64 { return float64(m.Requests) }

	timePlot := plot.New()
	timePlot.Title.Text = "Wall time against users"
	timePlot.X.Label.Text = "users"
	timePlot.Y.Label.Text = "seconds"
	timePlot.Legend.Top, timePlot.Legend.Left = true, true
	for _, step := range []string{"create", "plan"} {
		for _, provider := range []string{"scim", "floor", "minimal"} {
			pts := series(results, step, provider, wall)
			if len(pts) == 0 {
				continue
			}
			if err := addLine(timePlot, pts, providerLabels[provider]+": "+step, providerColors[provider], step == "plan"); err != nil {
				return err
			}
		}
	}

	reqPlot := plot.New()
	reqPlot.Title.Text = "Requests per refresh"
	reqPlot.X.Label.Text = "managed users (the whole tenant)"
	reqPlot.Y.Label.Text = "requests"
	reqPlot.Legend.Top, reqPlot.Legend.Left = true, true
	for _, s := range []struct {
		step, label, color string
		dashed             bool
	}{
		{"plan", "paged refresh (auto)", "scim", false},
		{"plan, one GET each", "one GET each (never)", "scim", true},
		{"membership refresh", "memberships of one group (x: memberships)", "minimal", true},
	} {
		pts := series(results, s.step, "scim", requests)
		if len(pts) == 0 {
			continue
		}
		if err := addLine(reqPlot, pts, s.label, providerColors[s.color], s.dashed); err != nil {
			return err
		}
	}

	fleetPlot := plot.New()
	fleetPlot.Title.Text = "Workspaces applied at once, one limit"
	fleetPlot.X.Label.Text = "workspaces"
	fleetPlot.Y.Label.Text = "apply seconds"
	fleetPlot.Legend.Top, fleetPlot.Legend.Left = true, true
	for _, s := range []struct {
		step, label, provider string
		y                     func(measurement) float64
		dashed                bool
	}{
		{"fleet apply shared budget", "shared budget", "scim", wall, false},
		{"fleet apply no shared budget", "no shared budget", "floor", wall, true},
		{"fleet apply shared budget", "ideal (accepted / limit)", "minimal", func(m measurement) float64 { return m.Extra["ideal seconds"] }, true},
	} {
		pts := series(results, s.step, "scim", s.y)
		if len(pts) == 0 {
			continue
		}
		if err := addLine(fleetPlot, pts, s.label, providerColors[s.provider], s.dashed); err != nil {
			return err
		}
	}

	const width, height = 16 * vg.Inch, 4.5 * vg.Inch
	canvas := vgsvg.New(width, height)
	dc := draw.New(canvas)
	tiles := draw.Tiles{Rows: 1, Cols: 3, PadX: vg.Inch / 3, PadTop: vg.Inch / 8, PadBottom: vg.Inch / 8,
		PadLeft: vg.Inch / 8, PadRight: vg.Inch / 8}
	plots := [][]*plot.Plot{{timePlot, reqPlot, fleetPlot}}
	canvases := plot.Align(plots, tiles, dc)
	timePlot.Draw(canvases[0][0])
	reqPlot.Draw(canvases[0][1])
	fleetPlot.Draw(canvases[0][2])
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := canvas.WriteTo(f); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

func addLine(p *plot.Plot, pts plotter.XYs, label string, c color.Color, dashed bool) error {
	line, points, err := plotter.NewLinePoints(pts)
	if err != nil {
		return err
	}
	line.Color, points.Color = c, c
	if dashed {
		line.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		points.Shape = draw.BoxGlyph{}
	}
	p.Add(line, points)
	p.Legend.Add(label, line, points)
	return nil
}
