"""Pictures for the demo data, drawn with Pillow shapes (no per-pixel Python loops).

Every drawing takes a seeded ``random.Random``, so the same seed always gives the same picture.
Product photos are 800 × 600 (the 4:3 frame the product page reserves, and one WebP rendition
fewer than a wider picture would need, which keeps loading the demo fast).
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter, ImageOps

WIDTH, HEIGHT = 800, 600
LOGO_SIZE = 320
BANNER_SIZE = (1200, 300)

RGB = tuple[int, int, int]
Box = tuple[float, float, float, float]

# Colours of natural dyes, leathers, glazes and fabrics the drawings pick from.
CARPET_FIELDS: list[RGB] = [(142, 32, 38), (120, 24, 40), (28, 42, 86), (164, 58, 42)]
CARPET_BORDERS: list[RGB] = [(24, 36, 72), (62, 30, 26), (30, 70, 60), (110, 26, 30)]
CARPET_ACCENTS: list[RGB] = [(222, 184, 96), (92, 140, 160), (200, 120, 60), (240, 226, 196)]
IVORY: RGB = (238, 226, 200)
KILIM_COLOURS: list[RGB] = [
    (160, 36, 34),
    (34, 52, 104),
    (214, 150, 40),
    (236, 222, 190),
    (58, 104, 70),
    (90, 40, 30),
]
WOOL_COLOURS: list[RGB] = [
    (196, 64, 60),
    (234, 176, 60),
    (40, 90, 150),
    (240, 234, 220),
    (70, 140, 110),
    (150, 60, 120),
]
LEATHERS: list[RGB] = [(150, 88, 46), (112, 62, 34), (84, 46, 30), (120, 40, 36), (176, 118, 70)]
BRASS: RGB = (198, 160, 82)
RESIN_COLOURS: list[RGB] = [
    (40, 170, 190),
    (220, 80, 120),
    (120, 90, 210),
    (240, 190, 60),
    (70, 200, 140),
    (250, 130, 70),
]
FABRICS: list[RGB] = [
    (26, 58, 110),
    (150, 30, 50),
    (20, 100, 96),
    (60, 30, 70),
    (230, 226, 214),
    (40, 40, 44),
]
THREADS: list[RGB] = [
    (232, 190, 70),
    (220, 60, 70),
    (250, 246, 236),
    (70, 170, 120),
    (80, 140, 220),
]
CLAYS: list[RGB] = [(182, 98, 58), (160, 84, 50), (40, 140, 160), (30, 90, 140), (196, 140, 90)]
WALLS: list[RGB] = [(236, 230, 218), (226, 218, 204), (214, 222, 222), (240, 236, 228)]
FLOORS: list[RGB] = [(196, 170, 138), (170, 136, 100), (210, 196, 176), (150, 120, 92)]


# --- small helpers -------------------------------------------------------------------------


def _clamp(value: float) -> int:
    return max(0, min(255, int(value)))


def jitter(colour: RGB, rng: random.Random, spread: int = 14) -> RGB:
    """``colour`` moved a little, so no two pictures share exactly the same dye."""
    r, g, b = colour
    return (
        _clamp(r + rng.randint(-spread, spread)),
        _clamp(g + rng.randint(-spread, spread)),
        _clamp(b + rng.randint(-spread, spread)),
    )


def shade(colour: RGB, amount: int) -> RGB:
    r, g, b = colour
    return (_clamp(r + amount), _clamp(g + amount), _clamp(b + amount))


def hex_to_rgb(colour: str) -> RGB:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def _pick(rng: random.Random, palette: list[RGB], avoid: RGB | None = None) -> RGB:
    choices = [c for c in palette if c != avoid] or palette
    return jitter(rng.choice(choices), rng)


def _diamond(
    draw: ImageDraw.ImageDraw,
    centre: tuple[float, float],
    rx: float,
    ry: float,
    fill,
    outline=None,
    width: int = 1,
) -> None:
    x, y = centre
    points = [(x, y - ry), (x + rx, y), (x, y + ry), (x - rx, y)]
    draw.polygon(points, fill=fill, outline=outline, width=width)


def _star(
    draw: ImageDraw.ImageDraw,
    centre: tuple[float, float],
    outer: float,
    inner: float,
    points: int,
    fill,
    stretch: float = 1.0,
    rotation: float = 0.0,
) -> None:
    x, y = centre
    corners = []
    for i in range(points * 2):
        radius = outer if i % 2 == 0 else inner
        angle = math.pi * i / points + rotation
        corners.append((x + radius * math.cos(angle) * stretch, y + radius * math.sin(angle)))
    draw.polygon(corners, fill=fill)


def _dashed_line(
    draw: ImageDraw.ImageDraw,
    start: tuple[float, float],
    end: tuple[float, float],
    fill,
    dash: int = 9,
    gap: int = 6,
    width: int = 2,
) -> None:
    (x0, y0), (x1, y1) = start, end
    length = math.hypot(x1 - x0, y1 - y0)
    if length == 0:
        return
    dx, dy = (x1 - x0) / length, (y1 - y0) / length
    position = 0.0
    while position < length:
        stop = min(position + dash, length)
        draw.line(
            [(x0 + dx * position, y0 + dy * position), (x0 + dx * stop, y0 + dy * stop)],
            fill=fill,
            width=width,
        )
        position += dash + gap


def _stitches(draw: ImageDraw.ImageDraw, box: Box, inset: float, radius: float, fill) -> None:
    """A dashed saddle-stitch line inside a rounded rectangle (straight sides only)."""
    x0, y0, x1, y1 = box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset
    r = max(0.0, radius - inset)
    _dashed_line(draw, (x0 + r, y0), (x1 - r, y0), fill)
    _dashed_line(draw, (x0 + r, y1), (x1 - r, y1), fill)
    _dashed_line(draw, (x0, y0 + r), (x0, y1 - r), fill)
    _dashed_line(draw, (x1, y0 + r), (x1, y1 - r), fill)


def _backdrop(rng: random.Random, palette: list[RGB], lines: int = 0) -> Image.Image:
    """A plain wall or floor, with faint boards when ``lines`` is set."""
    colour = _pick(rng, palette)
    image = Image.new("RGB", (WIDTH, HEIGHT), colour)
    if lines:
        draw = ImageDraw.Draw(image)
        for y in range(rng.randint(0, lines), HEIGHT, lines):
            draw.line([(0, y), (WIDTH, y)], fill=shade(colour, -16), width=2)
    return image


def _soft_shadow(image: Image.Image, box: Box, radius: int = 18, offset: int = 12) -> None:
    """A blurred shadow under ``box`` (blurred on a small patch only)."""
    x0, y0, x1, y1 = (int(v) for v in box)
    pad = radius * 2
    patch_box = (
        max(0, x0 - pad + offset),
        max(0, y0 - pad + offset),
        min(WIDTH, x1 + pad + offset),
        min(HEIGHT, y1 + pad + offset),
    )
    mask = Image.new("L", (patch_box[2] - patch_box[0], patch_box[3] - patch_box[1]), 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        (
            x0 - patch_box[0] + offset,
            y0 - patch_box[1] + offset,
            x1 - patch_box[0] + offset,
            y1 - patch_box[1] + offset,
        ),
        radius=radius,
        fill=110,
    )
    mask = mask.filter(ImageFilter.BoxBlur(radius // 2))
    image.paste((0, 0, 0), patch_box[:2], mask)


# --- one drawing per craft -----------------------------------------------------------------


def draw_carpet(rng: random.Random, kind: str = "medallion") -> Image.Image:
    """A rug on a wooden floor: fringe, border with guard stripes, field, medallion, corners."""
    image = _backdrop(rng, FLOORS, lines=rng.choice([40, 48, 56]))
    draw = ImageDraw.Draw(image, "RGBA")
    field = _pick(rng, CARPET_FIELDS)
    border = _pick(rng, CARPET_BORDERS)
    accent = _pick(rng, CARPET_ACCENTS)
    ivory = jitter(IVORY, rng, 8)
    x0, y0, x1, y1 = 96, 70 + rng.randint(-8, 8), 704, 530 + rng.randint(-8, 8)
    _soft_shadow(image, (x0, y0, x1, y1), radius=10, offset=8)
    for y in range(y0 + 4, y1 - 4, 6):
        draw.line([(x0 - 24, y), (x0, y)], fill=ivory, width=2)
        draw.line([(x1, y), (x1 + 24, y)], fill=ivory, width=2)
    band = 54
    draw.rectangle((x0, y0, x1, y1), fill=border)
    draw.rectangle((x0 + 7, y0 + 7, x1 - 7, y1 - 7), outline=ivory, width=3)
    draw.rectangle(
        (x0 + band - 8, y0 + band - 8, x1 - band + 8, y1 - band + 8), outline=ivory, width=3
    )
    for x in range(x0 + band // 2, x1 - band // 3, 34):
        _diamond(draw, (x, y0 + band // 2 + 2), 11, 13, accent)
        _diamond(draw, (x, y1 - band // 2 - 2), 11, 13, accent)
    for y in range(y0 + band + 22, y1 - band - 10, 34):
        _diamond(draw, (x0 + band // 2 + 2, y), 13, 11, accent)
        _diamond(draw, (x1 - band // 2 - 2, y), 13, 11, accent)
    fx0, fy0, fx1, fy1 = x0 + band, y0 + band, x1 - band, y1 - band
    draw.rectangle((fx0, fy0, fx1, fy1), fill=field)
    # An all-over pattern of small flowers behind the medallion.
    step = rng.choice([28, 32, 36])
    for row, y in enumerate(range(fy0 + step // 2, fy1, step)):
        for x in range(fx0 + step // 2 + (row % 2) * step // 2, fx1 - 6, step):
            draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=(*shade(field, 38), 255))
            draw.point((x, y), fill=accent)
    cx, cy = (fx0 + fx1) / 2, (fy0 + fy1) / 2
    if kind == "allover":
        for y in range(fy0 + 40, fy1 - 20, 80):
            for x in range(fx0 + 50, fx1 - 20, 90):
                _star(draw, (x, y), 26, 14, 8, ivory)
                draw.ellipse((x - 8, y - 8, x + 8, y + 8), fill=border)
    else:
        corner = 84
        draw.pieslice((fx0 - corner, fy0 - corner, fx0 + corner, fy0 + corner), 0, 90, fill=ivory)
        draw.pieslice((fx1 - corner, fy0 - corner, fx1 + corner, fy0 + corner), 90, 180, fill=ivory)
        draw.pieslice(
            (fx1 - corner, fy1 - corner, fx1 + corner, fy1 + corner), 180, 270, fill=ivory
        )
        draw.pieslice(
            (fx0 - corner, fy1 - corner, fx0 + corner, fy1 + corner), 270, 360, fill=ivory
        )
        _diamond(draw, (cx - 190, cy), 36, 22, accent)
        _diamond(draw, (cx + 190, cy), 36, 22, accent)
        _star(draw, (cx, cy), 128, 96, 16, ivory, stretch=1.25)
        _star(draw, (cx, cy), 100, 76, 16, accent, stretch=1.25, rotation=math.pi / 16)
        draw.ellipse((cx - 56, cy - 44, cx + 56, cy + 44), fill=border)
        _star(draw, (cx, cy), 34, 16, 8, ivory)
        draw.ellipse((cx - 8, cy - 8, cx + 8, cy + 8), fill=field)
    return image


def draw_tableau(rng: random.Random, kind: str = "landscape") -> Image.Image:
    """A framed woven picture hanging on a wall (landscape, vase of flowers or shrine)."""
    image = _backdrop(rng, WALLS)
    draw = ImageDraw.Draw(image, "RGBA")
    frame = (190, 48, 610, 552)
    _soft_shadow(image, frame, radius=16, offset=14)
    wood = jitter(rng.choice([(120, 78, 40), (160, 120, 60), (70, 44, 28)]), rng)
    draw.rectangle(frame, fill=wood)
    draw.rectangle(
        (frame[0] + 6, frame[1] + 6, frame[2] - 6, frame[3] - 6), outline=shade(wood, 40), width=3
    )
    px0, py0, px1, py1 = frame[0] + 30, frame[1] + 30, frame[2] - 30, frame[3] - 30
    height = py1 - py0
    if kind == "flowers":
        background = jitter((24, 30, 40), rng, 10)
        draw.rectangle((px0, py0, px1, py1), fill=background)
        vx = (px0 + px1) / 2
        vase = _pick(rng, [(40, 110, 160), (180, 120, 60), (150, 40, 50)])
        draw.polygon(
            [
                (vx - 40, py1 - 20),
                (vx + 40, py1 - 20),
                (vx + 62, py1 - 110),
                (vx + 24, py1 - 150),
                (vx - 24, py1 - 150),
                (vx - 62, py1 - 110),
            ],
            fill=vase,
        )
        draw.rectangle((vx - 70, py1 - 24, vx + 70, py1 - 12), fill=shade(background, 30))
        for _ in range(rng.randint(9, 13)):
            fx = vx + rng.randint(-120, 120)
            fy = py0 + rng.randint(40, height - 200)
            draw.line(
                [(vx + rng.randint(-15, 15), py1 - 150), (fx, fy)], fill=(60, 120, 60), width=3
            )
            colour = _pick(rng, [(220, 60, 80), (240, 200, 80), (240, 240, 240), (200, 90, 160)])
            size = rng.randint(16, 28)
            for petal in range(6):
                angle = petal * math.pi / 3
                ox, oy = math.cos(angle) * size * 0.6, math.sin(angle) * size * 0.6
                draw.ellipse(
                    (
                        fx + ox - size / 2,
                        fy + oy - size / 2,
                        fx + ox + size / 2,
                        fy + oy + size / 2,
                    ),
                    fill=colour,
                )
            draw.ellipse((fx - 6, fy - 6, fx + 6, fy + 6), fill=(250, 220, 90))
    else:
        top, horizon = (
            (jitter((70, 120, 190), rng), jitter((240, 200, 150), rng))
            if kind != "shrine"
            else (jitter((20, 40, 90), rng), jitter((90, 120, 170), rng))
        )
        bands = 14
        for i in range(bands):
            t = i / (bands - 1)
            colour = tuple(_clamp(a + (b - a) * t) for a, b in zip(top, horizon, strict=True))
            y = py0 + i * (height * 0.6) / bands
            draw.rectangle((px0, y, px1, y + height * 0.6 / bands + 1), fill=colour)
        ground_y = py0 + height * 0.6
        draw.rectangle((px0, ground_y, px1, py1), fill=jitter((90, 120, 60), rng))
        if kind == "shrine":
            cx = (px0 + px1) / 2
            gold = jitter((222, 180, 70), rng, 10)
            draw.rectangle((cx - 70, ground_y - 90, cx + 70, ground_y), fill=(230, 226, 210))
            draw.pieslice((cx - 80, ground_y - 230, cx + 80, ground_y - 50), 180, 360, fill=gold)
            draw.rectangle((cx - 4, ground_y - 270, cx + 4, ground_y - 220), fill=gold)
            for mx in (cx - 120, cx + 120):
                draw.rectangle((mx - 12, ground_y - 260, mx + 12, ground_y), fill=gold)
                draw.polygon(
                    [(mx - 14, ground_y - 260), (mx + 14, ground_y - 260), (mx, ground_y - 290)],
                    fill=gold,
                )
            draw.rounded_rectangle(
                (cx - 24, ground_y - 70, cx + 24, ground_y), radius=22, fill=(40, 90, 130)
            )
        else:
            sun = jitter((250, 220, 120), rng, 6)
            sx = rng.randint(px0 + 50, px1 - 50)
            draw.ellipse((sx - 26, py0 + 40, sx + 26, py0 + 92), fill=sun)
            peaks = [(px0, ground_y)]
            for i in range(1, 6):
                peaks.append((px0 + (px1 - px0) * i / 6, ground_y - rng.randint(40, 140)))
            peaks.append((px1, ground_y))
            draw.polygon(peaks, fill=jitter((110, 100, 130), rng))
            for _ in range(rng.randint(3, 5)):
                tx = rng.randint(px0 + 30, px1 - 30)
                ty = ground_y + rng.randint(30, int(height * 0.3))
                canopy = _pick(rng, [(200, 110, 40), (60, 130, 60), (220, 170, 50)])
                draw.rectangle((tx - 5, ty - 40, tx + 5, ty), fill=(90, 60, 40))
                draw.ellipse((tx - 34, ty - 100, tx + 34, ty - 30), fill=canopy)
    # The woven texture: fine rows of knots over the whole picture.
    for y in range(py0, py1, 3):
        draw.line([(px0, y), (px1, y)], fill=(0, 0, 0, 26))
    return image


def draw_kilim(rng: random.Random, kind: str = "kilim") -> Image.Image:
    """A flat-weave: horizontal stripes with rows of lozenges and zigzags."""
    image = _backdrop(rng, FLOORS, lines=rng.choice([44, 52]))
    draw = ImageDraw.Draw(image, "RGBA")
    box = (70, 80, 730, 520) if kind != "cushion" else (200, 100, 600, 500)
    x0, y0, x1, y1 = box
    _soft_shadow(image, box, radius=12, offset=10)
    colours = [_pick(rng, KILIM_COLOURS) for _ in range(4)]
    if kind != "cushion":
        for y in range(y0 + 4, y1 - 4, 7):
            draw.line([(x0 - 22, y), (x0, y)], fill=IVORY, width=2)
            draw.line([(x1, y), (x1 + 22, y)], fill=IVORY, width=2)
    y = y0
    index = 0
    while y < y1:
        band = rng.choice([12, 18, 44, 64, 64])
        bottom = min(y + band, y1)
        colour = colours[index % len(colours)]
        motif = colours[(index + 1) % len(colours)]
        draw.rectangle((x0, y, x1, bottom), fill=colour)
        height = bottom - y
        if height >= 40:
            rx = height * 0.55
            for x in range(int(x0 + rx), int(x1 - rx / 2), int(rx * 2.1)):
                _diamond(draw, (x, y + height / 2), rx, height * 0.42, motif)
                _diamond(draw, (x, y + height / 2), rx * 0.45, height * 0.19, colour)
                _diamond(draw, (x, y + height / 2), rx * 0.18, height * 0.08, IVORY)
        elif height >= 16:
            points = [(x, y + (3 if (x // 12) % 2 else height - 3)) for x in range(x0, x1 + 1, 12)]
            draw.line(points, fill=motif, width=3)
        y = bottom
        index += 1
    if kind == "cushion":
        draw.rectangle(box, outline=shade(colours[0], -40), width=6)
    return image


def draw_fret(rng: random.Random, kind: str = "panel") -> Image.Image:
    """Fret weaving: bands interlaced over and under on a wooden frame."""
    image = _backdrop(rng, WALLS)
    draw = ImageDraw.Draw(image, "RGBA")
    panels = (
        [(150, 90, 650, 510)]
        if kind != "coasters"
        else [(150, 90, 380, 290), (420, 90, 650, 290), (150, 320, 380, 520), (420, 320, 650, 520)]
    )
    vertical = [_pick(rng, WOOL_COLOURS) for _ in range(2)]
    horizontal = [_pick(rng, WOOL_COLOURS, avoid=vertical[0]) for _ in range(2)]
    for x0, y0, x1, y1 in panels:
        _soft_shadow(image, (x0, y0, x1, y1), radius=10, offset=8)
        if kind != "coasters":
            wood = jitter((150, 110, 60), rng)
            draw.rectangle((x0 - 22, y0 - 22, x1 + 22, y1 + 22), fill=wood)
            for px in range(x0, x1 + 1, 30):
                draw.ellipse((px - 3, y0 - 14, px + 3, y0 - 8), fill=shade(wood, -50))
                draw.ellipse((px - 3, y1 + 8, px + 3, y1 + 14), fill=shade(wood, -50))
        draw.rectangle((x0, y0, x1, y1), fill=(40, 34, 30))
        columns = rng.randint(7, 11) if kind != "coasters" else 5
        rows = max(4, round(columns * (y1 - y0) / (x1 - x0)))
        cw, rh = (x1 - x0) / columns, (y1 - y0) / rows
        bw, bh = cw * 0.84, rh * 0.84
        for i in range(columns):
            cx = x0 + cw * (i + 0.5)
            draw.rectangle(
                (cx - bw / 2, y0, cx + bw / 2, y1),
                fill=vertical[i % 2],
                outline=shade(vertical[i % 2], -45),
            )
        for j in range(rows):
            cy = y0 + rh * (j + 0.5)
            draw.rectangle(
                (x0, cy - bh / 2, x1, cy + bh / 2),
                fill=horizontal[j % 2],
                outline=shade(horizontal[j % 2], -45),
            )
        for i in range(columns):
            cx = x0 + cw * (i + 0.5)
            for j in range(rows):
                if (i + j) % 2:
                    continue
                cy = y0 + rh * (j + 0.5)
                colour = vertical[i % 2]
                draw.rectangle(
                    (cx - bw / 2, cy - rh / 2, cx + bw / 2, cy + rh / 2),
                    fill=colour,
                    outline=shade(colour, -45),
                )
                draw.line(
                    [(cx, cy - rh / 2 + 3), (cx, cy + rh / 2 - 3)],
                    fill=(*shade(colour, 35), 160),
                    width=2,
                )
    return image


def draw_leather(rng: random.Random, kind: str = "bag") -> Image.Image:
    """A stitched leather bag, wallet, card holder or belt on a table."""
    image = _backdrop(rng, WALLS if kind == "bag" else FLOORS)
    draw = ImageDraw.Draw(image, "RGBA")
    leather = _pick(rng, LEATHERS)
    thread = jitter(rng.choice([(240, 226, 200), (214, 170, 90), (60, 40, 30)]), rng, 6)
    boxes = {
        "bag": ((210, 230, 590, 520), 40),
        "wallet": ((170, 170, 630, 440), 26),
        "cardholder": ((250, 200, 550, 420), 22),
        "belt": ((70, 260, 730, 340), 14),
    }
    box, radius = boxes.get(kind, boxes["bag"])
    _soft_shadow(image, box, radius=16, offset=12)
    grain = Image.effect_noise((int(box[2] - box[0]), int(box[3] - box[1])), 26)
    texture = ImageOps.colorize(grain, black=shade(leather, -45), white=shade(leather, 35))
    mask = Image.new("L", texture.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        (0, 0, texture.width - 1, texture.height - 1), radius=radius, fill=255
    )
    if kind == "cardholder":
        card = (box[0] + 40, box[1] - 50, box[2] - 70, box[1] + 60)
        draw.rounded_rectangle(card, radius=8, fill=jitter((60, 110, 170), rng))
    image.paste(texture, (int(box[0]), int(box[1])), mask)
    draw = ImageDraw.Draw(image, "RGBA")
    _stitches(draw, box, 12, radius, thread)
    if kind == "bag":
        draw.arc((300, 110, 500, 330), 180, 360, fill=shade(leather, -30), width=16)
        flap = (box[0], box[1], box[2], box[1] + 140)
        draw.rounded_rectangle(flap, radius=radius, fill=(*shade(leather, -25), 140))
        _dashed_line(draw, (flap[0] + 40, flap[3] - 12), (flap[2] - 40, flap[3] - 12), thread)
        draw.ellipse((382, flap[3] - 20, 418, flap[3] + 16), fill=jitter(BRASS, rng, 8))
    elif kind == "wallet":
        middle = (box[0] + box[2]) / 2
        draw.line([(middle, box[1] + 4), (middle, box[3] - 4)], fill=(0, 0, 0, 90), width=4)
        draw.rounded_rectangle(
            (box[0] + 40, box[1] + 60, middle - 30, box[1] + 130),
            radius=10,
            outline=(0, 0, 0, 70),
            width=3,
        )
        draw.ellipse(
            (box[2] - 70, (box[1] + box[3]) / 2 - 18, box[2] - 34, (box[1] + box[3]) / 2 + 18),
            fill=jitter(BRASS, rng, 8),
        )
    elif kind == "cardholder":
        for offset in (60, 110):
            draw.arc(
                (box[0] + 20, box[1] + offset - 40, box[2] - 20, box[1] + offset + 30),
                20,
                160,
                fill=(0, 0, 0, 90),
                width=3,
            )
    else:
        buckle = (box[0] + 20, box[1] - 16, box[0] + 110, box[3] + 16)
        draw.rounded_rectangle(buckle, radius=12, outline=jitter(BRASS, rng, 8), width=10)
        for x in range(int(box[2] - 200), int(box[2] - 40), 40):
            draw.ellipse((x - 6, 294, x + 6, 306), fill=(30, 20, 16))
    return image


def draw_resin(rng: random.Random, kind: str = "pendants") -> Image.Image:
    """Translucent resin pieces (pendants, earrings, a tray or coasters) on a dark cloth."""
    background = jitter((22, 26, 34), rng, 8)
    image = Image.new("RGB", (WIDTH, HEIGHT), background)
    draw = ImageDraw.Draw(image, "RGBA")
    for _ in range(6):
        x, y, r = rng.randint(0, WIDTH), rng.randint(0, HEIGHT), rng.randint(80, 200)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*_pick(rng, RESIN_COLOURS), 18))
    gold = jitter((226, 186, 90), rng, 8)

    def piece(x: float, y: float, r: float, colour: RGB) -> None:
        draw.ellipse(
            (x - r, y - r, x + r, y + r), fill=(*colour, 130), outline=(255, 255, 255, 110), width=3
        )
        for petal in range(5):
            angle = petal * 2 * math.pi / 5
            px, py = x + math.cos(angle) * r * 0.3, y + math.sin(angle) * r * 0.3
            draw.ellipse(
                (px - r * 0.2, py - r * 0.2, px + r * 0.2, py + r * 0.2), fill=(255, 250, 240, 120)
            )
        draw.ellipse((x - r * 0.1, y - r * 0.1, x + r * 0.1, y + r * 0.1), fill=(*gold, 220))
        draw.arc(
            (x - r * 0.8, y - r * 0.8, x + r * 0.8, y + r * 0.8),
            200,
            260,
            fill=(255, 255, 255, 170),
            width=4,
        )
        for _ in range(6):
            fx, fy = x + rng.uniform(-r * 0.7, r * 0.7), y + rng.uniform(-r * 0.7, r * 0.7)
            draw.ellipse((fx - 2, fy - 2, fx + 2, fy + 2), fill=(*gold, 200))

    if kind == "earrings":
        for x in (290, 510):
            colour = _pick(rng, RESIN_COLOURS)
            draw.arc((x - 22, 110, x + 22, 160), 180, 360, fill=gold, width=4)
            draw.line([(x, 160), (x, 230)], fill=gold, width=3)
            draw.polygon([(x - 60, 300), (x, 230), (x + 60, 300)], fill=(*colour, 130))
            piece(x, 330, 62, colour)
    elif kind == "tray":
        draw.ellipse(
            (110, 90, 690, 520),
            fill=(*_pick(rng, RESIN_COLOURS), 120),
            outline=(*gold, 230),
            width=10,
        )
        for _ in range(5):
            piece(
                rng.randint(260, 540),
                rng.randint(200, 420),
                rng.randint(40, 70),
                _pick(rng, RESIN_COLOURS),
            )
    elif kind == "coasters":
        for x, y in ((250, 200), (520, 210), (300, 420), (540, 420)):
            piece(
                x + rng.randint(-20, 20), y + rng.randint(-20, 20), 110, _pick(rng, RESIN_COLOURS)
            )
    else:
        count = rng.randint(3, 4)
        for i in range(count):
            x = 160 + i * (480 / max(1, count - 1))
            y = rng.randint(300, 400)
            r = rng.randint(55, 80)
            draw.line([(x, 0), (x, y - r - 20)], fill=gold, width=2)
            draw.ellipse((x - 10, y - r - 30, x + 10, y - r - 10), outline=gold, width=3)
            piece(x, y, r, _pick(rng, RESIN_COLOURS))
    return image


def draw_garment(rng: random.Random, kind: str = "dress") -> Image.Image:
    """A dress, shirt or shawl on a hanger, with rows of embroidery."""
    image = _backdrop(rng, WALLS)
    draw = ImageDraw.Draw(image, "RGBA")
    fabric = _pick(rng, FABRICS)
    threads = [_pick(rng, THREADS, avoid=fabric) for _ in range(3)]
    cx = WIDTH / 2
    draw.line([(120, 70), (680, 70)], fill=(120, 110, 100), width=6)
    if kind == "shawl":
        body = [(cx - 200, 110), (cx + 200, 110), (cx + 230, 520), (cx - 230, 520)]
        draw.polygon(body, fill=fabric)
        draw.line([(cx - 200, 110), (cx + 200, 110)], fill=(90, 80, 70), width=10)
        for x in range(int(cx - 226), int(cx + 230), 9):
            draw.line([(x, 520), (x + rng.randint(-3, 3), 552)], fill=fabric, width=3)
        for row, y in enumerate(range(440, 510, 18)):
            for x in range(int(cx - 200), int(cx + 210), 16):
                colour = threads[(row + x // 16) % 3]
                draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=colour)
        return image
    draw.line([(cx, 70), (cx, 100)], fill=(120, 110, 100), width=4)
    draw.line([(cx - 120, 150), (cx, 100), (cx + 120, 150)], fill=(120, 110, 100), width=5)
    hem = 540 if kind == "dress" else 500
    flare = 210 if kind == "dress" else 150
    waist = 100 if kind == "dress" else 140
    left = [
        (cx - 50, 128),
        (cx - 130, 150),
        (cx - 205, 270),
        (cx - 160, 292),
        (cx - 118, 222),
        (cx - waist, 320),
        (cx - flare, hem),
    ]
    right = [(2 * cx - x, y) for x, y in reversed(left)]
    draw.polygon(left + right, fill=fabric)
    for step in range(1, 24):  # folds of the skirt, fanning out from the waist
        t = step / 24
        draw.line(
            [(cx - waist + 2 * waist * t, 322), (cx - flare + 2 * flare * t, hem - 4)],
            fill=(*shade(fabric, 22), 60),
            width=2,
        )
    draw.pieslice((cx - 50, 100, cx + 50, 170), 0, 180, fill=image.getpixel((10, 300)))
    if kind == "shirt":
        draw.line([(cx, 170), (cx, hem)], fill=shade(fabric, -30), width=3)
        for y in range(200, hem - 20, 55):
            draw.ellipse((cx - 6, y - 6, cx + 6, y + 6), fill=threads[2])
    # A panel of embroidery down the front, as on Bushehri dresses.
    panel = 36
    draw.rectangle((cx - panel, 168, cx + panel, 300), fill=(*shade(fabric, -25), 200))
    for row, y in enumerate(range(180, 296, 18)):
        _diamond(draw, (cx, y), 14, 8, threads[row % 3])
    for row, y in enumerate(range(hem - 44, hem - 4, 14)):
        for x in range(int(cx - flare + 20 + row * 3), int(cx + flare - 16), 14):
            draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=threads[(row + x // 14) % 3])
    for sx in (-1, 1):
        for step in range(6):
            x = cx + sx * (195 - step * 6) - sx * 10
            y = 262 + step * 5
            draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=threads[step % 3])
    for step in range(9):
        angle = math.pi * (0.1 + 0.8 * step / 8)
        x, y = cx + math.cos(angle) * 58, 135 + math.sin(angle) * 42
        draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=threads[step % 3])
    return image


def draw_pottery(rng: random.Random, kind: str = "pottery") -> Image.Image:
    """Pots, a painted plate, a palm-leaf basket or a felt doll on a table by a wall."""
    image = _backdrop(rng, WALLS)
    draw = ImageDraw.Draw(image, "RGBA")
    table = jitter((150, 110, 72), rng)
    draw.rectangle((0, 420, WIDTH, HEIGHT), fill=table)
    draw.line([(0, 420), (WIDTH, 420)], fill=shade(table, -30), width=4)
    if kind == "plate":
        cx, cy, r = 400, 300, 230
        draw.ellipse((cx - r + 10, cy - r + 18, cx + r + 10, cy + r + 18), fill=(0, 0, 0, 60))
        blue = jitter((30, 90, 170), rng)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=blue, outline=(230, 200, 110), width=8)
        draw.ellipse((cx - 150, cy - 150, cx + 150, cy + 150), fill=(240, 236, 224))
        for i in range(12):
            angle = i * math.pi / 6
            x, y = cx + math.cos(angle) * 190, cy + math.sin(angle) * 190
            _star(draw, (x, y), 22, 10, 6, (240, 236, 224))
        _star(draw, (cx, cy), 120, 70, 12, blue)
        _star(draw, (cx, cy), 60, 30, 8, jitter((200, 60, 60), rng))
        return image
    if kind == "basket":
        straw = jitter((214, 180, 110), rng)
        body = [(230, 260), (570, 260), (530, 500), (270, 500)]
        draw.ellipse((240, 470, 560, 530), fill=(0, 0, 0, 60))
        draw.polygon(body, fill=straw)
        for row, y in enumerate(range(266, 500, 16)):
            inset = (y - 260) * 40 / 240
            colour = shade(straw, -25) if row % 2 else shade(straw, 12)
            if row % 5 == 2:
                colour = jitter(rng.choice([(180, 50, 60), (40, 110, 120)]), rng)
            for x in range(int(230 + inset + (row % 2) * 12), int(570 - inset - 8), 24):
                draw.rectangle((x, y, x + 14, y + 12), fill=colour)
        draw.ellipse(
            (230, 240, 570, 280), fill=shade(straw, -20), outline=shade(straw, -50), width=4
        )
        draw.arc((300, 120, 500, 300), 180, 360, fill=shade(straw, -40), width=12)
        return image
    if kind == "doll":
        felt = _pick(rng, [(200, 70, 80), (60, 120, 170), (90, 150, 90)])
        draw.ellipse((300, 470, 500, 510), fill=(0, 0, 0, 60))
        draw.polygon([(400, 220), (300, 490), (500, 490)], fill=felt)
        draw.ellipse((340, 120, 460, 240), fill=(240, 210, 180))
        draw.chord((330, 110, 470, 250), 180, 360, fill=jitter((60, 40, 30), rng))
        draw.ellipse((372, 172, 382, 182), fill=(40, 30, 30))
        draw.ellipse((418, 172, 428, 182), fill=(40, 30, 30))
        draw.arc((380, 185, 420, 215), 20, 160, fill=(180, 60, 60), width=3)
        for y in range(300, 480, 30):
            for x in range(330 + (y - 300) // 6, 470 - (y - 300) // 6, 24):
                draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=(250, 240, 200))
        return image
    count = rng.randint(2, 3)
    for i in range(count):
        cx = 200 + i * (400 / max(1, count - 1)) + rng.randint(-20, 20)
        w = rng.randint(70, 120)
        h = rng.randint(150, 260)
        base = 430
        clay = _pick(rng, CLAYS)
        glaze = _pick(rng, [(250, 244, 230), (30, 60, 100), (220, 180, 80)], avoid=clay)
        draw.ellipse((cx - w, base - 18, cx + w, base + 14), fill=(0, 0, 0, 60))
        draw.ellipse((cx - w, base - h * 0.75, cx + w, base), fill=clay)
        draw.rectangle((cx - w * 0.35, base - h, cx + w * 0.35, base - h * 0.6), fill=clay)
        draw.ellipse(
            (cx - w * 0.5, base - h - 12, cx + w * 0.5, base - h + 12),
            fill=shade(clay, -30),
            outline=shade(clay, 20),
            width=4,
        )
        draw.arc(
            (cx - w + 4, base - h * 0.55, cx + w - 4, base - h * 0.35), 0, 180, fill=glaze, width=8
        )
        for k in range(7):
            x = cx - w * 0.6 + k * w * 0.2
            draw.ellipse((x - 5, base - h * 0.28 - 5, x + 5, base - h * 0.28 + 5), fill=glaze)
        draw.arc(
            (cx - w * 0.8, base - h * 0.7, cx + w * 0.3, base - h * 0.1),
            190,
            240,
            fill=(255, 255, 255, 120),
            width=6,
        )
    return image


DRAWINGS: dict[str, Callable[[random.Random, str], Image.Image]] = {
    "hand-woven-carpet": lambda rng, kind: draw_carpet(rng, kind or "medallion"),
    "tableau-rug": lambda rng, kind: draw_tableau(rng, kind or "landscape"),
    "kilim": lambda rng, kind: draw_kilim(rng, kind or "kilim"),
    "fret-weaving": lambda rng, kind: draw_fret(rng, kind or "panel"),
    "leather": lambda rng, kind: draw_leather(rng, kind or "bag"),
    "resin-crafts": lambda rng, kind: draw_resin(rng, kind or "pendants"),
    "garments": lambda rng, kind: draw_garment(rng, kind or "dress"),
    "other-handicrafts": lambda rng, kind: draw_pottery(rng, kind or "pottery"),
}


# --- encoded pictures ----------------------------------------------------------------------


def encode(image: Image.Image, fmt: str = "JPEG") -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.save(buffer, "JPEG", quality=88)
    else:
        image.save(buffer, fmt)
    return buffer.getvalue()


def _detail(image: Image.Image, rng: random.Random) -> Image.Image:
    """A close-up of the middle, where every drawing puts its piece, as a second photo."""
    w, h = WIDTH * 11 // 20, HEIGHT * 11 // 20
    x = (WIDTH - w) // 2 + rng.randint(-60, 60)
    y = (HEIGHT - h) // 2 + rng.randint(-40, 40)
    return image.crop((x, y, x + w, y + h)).resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)


def _in_room(image: Image.Image, rng: random.Random) -> Image.Image:
    """The piece smaller, further away, on a plain backdrop: a third, wider photo."""
    room = _backdrop(rng, WALLS)
    small = image.resize((WIDTH * 3 // 5, HEIGHT * 3 // 5), Image.Resampling.BILINEAR)
    x, y = (WIDTH - small.width) // 2, (HEIGHT - small.height) // 2 - 20
    _soft_shadow(room, (x, y, x + small.width, y + small.height), radius=14, offset=12)
    room.paste(small, (x, y))
    return room


def product_photos(category: str, seed: str, count: int, kind: str | None = None) -> list[bytes]:
    """``count`` (1–3) JPEG photos of one piece of ``category``: whole, close-up, further away."""
    rng = random.Random(seed)
    main = DRAWINGS[category](rng, kind or "")
    pictures = [main, _detail(main, rng), _in_room(main, rng)][: max(1, min(count, 3))]
    return [encode(picture) for picture in pictures]


def _motif(
    draw: ImageDraw.ImageDraw,
    motif: str,
    centre: tuple[float, float],
    size: float,
    colour: RGB,
    background: RGB,
) -> None:
    """A small emblem for a craft, used in logos and banners."""
    x, y = centre
    if motif in ("kilim", "fret-weaving"):
        _diamond(draw, (x, y), size, size, colour)
        _diamond(draw, (x, y), size * 0.55, size * 0.55, background)
        _diamond(draw, (x, y), size * 0.22, size * 0.22, colour)
    elif motif == "resin-crafts":
        draw.ellipse((x - size * 0.75, y - size * 0.5, x + size * 0.75, y + size), fill=colour)
        draw.polygon([(x - size * 0.7, y), (x, y - size), (x + size * 0.7, y)], fill=colour)
        draw.ellipse((x - size * 0.25, y, x + size * 0.25, y + size * 0.5), fill=background)
    elif motif == "leather":
        draw.ellipse((x - size, y - size, x + size, y + size), fill=colour)
        for i in range(16):
            angle = i * math.pi / 8
            px, py = x + math.cos(angle) * size * 0.72, y + math.sin(angle) * size * 0.72
            draw.ellipse((px - 3, py - 3, px + 3, py + 3), fill=background)
    elif motif == "garments":
        draw.ellipse((x - size, y - size, x + size, y + size), fill=colour)
        for dx, dy in ((-1, -1), (1, -1), (-1, 1), (1, 1)):
            hx, hy = x + dx * size * 0.3, y + dy * size * 0.3
            draw.ellipse(
                (hx - size * 0.13, hy - size * 0.13, hx + size * 0.13, hy + size * 0.13),
                fill=background,
            )
    elif motif == "other-handicrafts":
        draw.ellipse((x - size * 0.8, y - size * 0.4, x + size * 0.8, y + size), fill=colour)
        draw.rectangle((x - size * 0.3, y - size, x + size * 0.3, y), fill=colour)
        draw.ellipse(
            (x - size * 0.45, y - size * 1.1, x + size * 0.45, y - size * 0.8), fill=colour
        )
    else:
        _star(draw, (x, y), size, size * 0.72, 12, colour)
        draw.ellipse(
            (x - size * 0.4, y - size * 0.4, x + size * 0.4, y + size * 0.4), fill=background
        )
        _star(draw, (x, y), size * 0.3, size * 0.14, 8, colour)


def logo(primary: str, secondary: str, motif: str) -> bytes:
    """A square PNG logo: the craft's emblem in the second colour on the main one."""
    main, second = hex_to_rgb(primary), hex_to_rgb(secondary)
    image = Image.new("RGB", (LOGO_SIZE, LOGO_SIZE), main)
    draw = ImageDraw.Draw(image)
    middle = LOGO_SIZE / 2
    draw.ellipse((18, 18, LOGO_SIZE - 18, LOGO_SIZE - 18), outline=second, width=10)
    for i in range(24):
        angle = i * math.pi / 12
        x, y = middle + math.cos(angle) * 122, middle + math.sin(angle) * 122
        draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=second)
    _motif(draw, motif, (middle, middle), 70, second, main)
    return encode(image, "PNG")


def banner(primary: str, secondary: str, motif: str, seed: str) -> bytes:
    """A wide JPEG banner: the brand colours with a row of the craft's emblem."""
    rng = random.Random(seed)
    main, second = hex_to_rgb(primary), hex_to_rgb(secondary)
    width, height = BANNER_SIZE
    image = Image.new("RGB", BANNER_SIZE, main)
    draw = ImageDraw.Draw(image, "RGBA")
    for _ in range(5):
        x, y, r = rng.randint(0, width), rng.randint(0, height), rng.randint(90, 220)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*shade(main, 30), 60))
    for y in (22, height - 22):
        draw.rectangle((0, y - 10, width, y + 10), fill=second)
        for x in range(15, width, 30):
            _diamond(draw, (x, y), 8, 8, main)
    for i, x in enumerate(range(90, width, 170)):
        _motif(draw, motif, (x, height / 2), 44 if i % 2 else 34, (*second, 230), main)
    return encode(image)


def certificate(seed: str) -> bytes:
    """A photographed skills certificate: paper, a border, lines of writing, a seal."""
    rng = random.Random(seed)
    image = _backdrop(rng, FLOORS)
    draw = ImageDraw.Draw(image, "RGBA")
    paper = (110, 60, 690, 540)
    _soft_shadow(image, paper, radius=8, offset=10)
    draw.rectangle(paper, fill=(250, 246, 234))
    draw.rectangle((130, 80, 670, 520), outline=(30, 80, 120), width=6)
    draw.rectangle((142, 92, 658, 508), outline=(200, 160, 70), width=2)
    draw.rounded_rectangle((300, 120, 500, 146), radius=8, fill=(30, 80, 120))
    for y in range(190, 400, 30):
        draw.line([(190, y), (610 - rng.randint(0, 120), y)], fill=(90, 90, 100), width=4)
    draw.ellipse((470, 400, 570, 500), outline=(170, 40, 50), width=6)
    _star(draw, (520, 450), 32, 18, 10, (170, 40, 50, 180))
    draw.line(
        [(190, 470), (240, 440), (270, 480), (320, 445), (360, 470)], fill=(20, 40, 90), width=3
    )
    return encode(image)
