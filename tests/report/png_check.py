#!/usr/bin/env python3
"""Checks a screenshot (PNG) of the HTML progress report: it decodes the PNG itself (zlib and the
five PNG filters of RFC 2083 / ISO 15948, 8-bit RGB or RGBA, not interlaced), then counts the
pixels drawn in each chart colour of the report. Charts that did not render leave none.

usage: png_check.py SHOT.png MIN_WIDTH MIN_HEIGHT NAME=#RRGGBB:MIN_PIXELS ...
Prints the counts; exit 1 when the image is smaller or a colour has fewer pixels than asked.
"""
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG file")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise SystemExit(f"{path}: unsupported PNG (depth {depth}, type {ctype})")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, off = [], bytearray(stride), 0
    for _ in range(h):
        ftype, line = raw[off], bytearray(raw[off + 1:off + 1 + stride])
        off += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def main():
    path, min_w, min_h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    want = []
    for spec in sys.argv[4:]:
        name, rest = spec.split("=", 1)
        colour, minimum = rest.split(":")
        rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
        want.append((name, rgb, int(minimum)))
    w, h, bpp, rows = decode(path)
    counts = [0] * len(want)
    nonwhite = 0
    for row in rows:
        for x in range(0, w * bpp, bpp):
            r, g, b = row[x], row[x + 1], row[x + 2]
            if r < 245 or g < 245 or b < 245:
                nonwhite += 1
            for k, (_, rgb, _) in enumerate(want):
                if abs(r - rgb[0]) <= 12 and abs(g - rgb[1]) <= 12 and abs(b - rgb[2]) <= 12:
                    counts[k] += 1
    ok = w >= min_w and h >= min_h
    print(f"{path}: {w} x {h} px, {nonwhite} non-white pixels")
    for (name, rgb, minimum), n in zip(want, counts):
        flag = "ok" if n >= minimum else "TOO FEW"
        print(f"  {name}: {n} pixels of #{rgb[0]:02x}{rgb[1]:02x}{rgb[2]:02x} (need {minimum}) {flag}")
        ok = ok and n >= minimum
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
