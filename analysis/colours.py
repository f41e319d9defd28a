"""Colours a reader must tell apart: WCAG contrast on the background, and distance under simulated colour-vision
deficiencies.

Two measures, both from published methods, so a palette is judged by numbers rather than by eye:

- :func:`contrast`: the WCAG 2.2 contrast ratio (relative luminance of sRGB), which SC 1.4.11 asks to be at least
  3:1 for the graphical objects a reader needs (bars, points, lines of a chart) against what they touch.
- :func:`separation`: the smallest CIELAB distance (CIE 1976 ΔE*ab, D65) between two colours of a palette, as seen
  with normal vision and as simulated for protanopia, deuteranopia and tritanopia by the matrices of Machado,
  Oliveira & Fernandes (2009), "A Physiologically-based Model for Simulation of Color Vision Deficiency",
  IEEE TVCG 15(6), doi:10.1109/TVCG.2009.113, severity 1.0 (the full dichromacies), applied to linear sRGB. The
  matrices are the authors' published table, as carried by the colorspacious package (colorspacious/cvd.py,
  MACHADO_ET_AL_MATRICES[...][100]); this module was checked against colorspacious 1.1.2's simulation.
"""

from __future__ import annotations

import itertools

# Machado et al. (2009), severity 1.0, on linear sRGB (rows: R, G, B out).
DICHROMACIES = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
VISIONS = ("normal", *DICHROMACIES)
# the CSS names a chart spec uses (charts.NEUTRALS), as hex
NAMED = {"white": "ffffff", "black": "000000", "gray": "808080", "grey": "808080", "lightgray": "d3d3d3"}
# sRGB (linear) to CIE XYZ, D65 (IEC 61966-2-1), and the D65 white point CIELAB is taken relative to.
SRGB_TO_XYZ = ((0.4124, 0.3576, 0.1805), (0.2126, 0.7152, 0.0722), (0.0193, 0.1192, 0.9505))
WHITE_D65 = (0.9505, 1.0, 1.089)


def linear_rgb(colour: str) -> tuple[float, float, float]:
    """The linear-light sRGB channels (0–1) of a hex colour (#rgb, #rrggbb) or a CSS name of :data:`NAMED`."""
    digits = NAMED.get(colour.lower(), colour.lstrip("#"))
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)


def luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of a colour."""
    r, g, b = linear_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG 2.2 contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _times(matrix, vector):
    return tuple(sum(m * v for m, v in zip(row, vector)) for row in matrix)


def seen(colour: str, vision: str) -> tuple[float, float, float]:
    """The CIELAB (L*, a*, b*) of a colour as seen with ``vision`` (one of :data:`VISIONS`)."""
    rgb = linear_rgb(colour)
    if vision != "normal":  # clipped to the display's gamut, as a screen would show it
        rgb = tuple(min(1.0, max(0.0, c)) for c in _times(DICHROMACIES[vision], rgb))
    f = [t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29
         for t in (x / w for x, w in zip(_times(SRGB_TO_XYZ, rgb), WHITE_D65))]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def separation(palette: list[str]) -> tuple[float, str, str, str]:
    """The closest two colours of a palette under any vision: (CIELAB ΔE*ab, vision, first, second)."""
    return min((sum((p - q) ** 2 for p, q in zip(seen(a, vision), seen(b, vision))) ** 0.5, vision, a, b)
               for vision in VISIONS for a, b in itertools.combinations(palette, 2))
