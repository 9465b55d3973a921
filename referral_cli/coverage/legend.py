"""What every rendering of the matrix shows the same way: the shades of the
heatmap by :attr:`Cell.level`, and the legend's words."""

from __future__ import annotations

LEGEND = "2+1 = 2 located here + 1 remote/statewide;  0+1 = only remote;  -- = none"
COVERED_LEGEND = "Covered 1+4/5 = 1 area with a provider located here + 4 only remote, of 5"
NO_GAPS = "No gaps: every place has every area and critical service."

# Heatmap shades by Cell.level: (background, foreground), shared by terminal and HTML.
# Colours of the xterm 256-colour cube, so 256-colour terminals show the same ones.
SHADES = {
    0: ("#af0000", "#ffffff"),  # none
    1: ("#ffd75f", "#000000"),  # only remote or statewide
    2: ("#d7ffd7", "#000000"),  # one located here
    3: ("#87d787", "#000000"),  # two or three
    4: ("#00875f", "#ffffff"),  # four or more
}
# Empty cells of service rows: paler (in a terminal: no shade), so that the area
# rows, the gaps that count, stand out.
PALE_EMPTY = ("#ffd7d7", "#870000")
