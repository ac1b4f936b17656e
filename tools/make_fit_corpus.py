#!/usr/bin/env python3
"""Write the hand-made FIT files of tests/corpus (bad inputs and fuzz seeds).

Each file is built byte by byte from the FIT protocol description (header, definition and data
messages, CRC-16 of the FIT SDK), independently of backstep's own writer, so the reader is also
tested on files it did not write. Run from the repository root:
    python3 tools/make_fit_corpus.py
The outputs are committed; CI does not regenerate them.
"""
import os
import struct

CRC_TABLE = [0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
             0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400]


def crc16(data, crc=0):
    for b in data:
        t = CRC_TABLE[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ t ^ CRC_TABLE[b & 0xF]
        t = CRC_TABLE[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ t ^ CRC_TABLE[(b >> 4) & 0xF]
    return crc


assert crc16(b"123456789") == 0xBB3D

T0 = 1_000_000_000  # FIT seconds: 2021-09-09


def definition(local, glob, fields, big_endian=False, dev=None):
    arch = 1 if big_endian else 0
    hdr = 0x40 | local | (0x20 if dev is not None else 0)
    out = bytes([hdr, 0, arch]) + struct.pack(">H" if big_endian else "<H", glob) + bytes([len(fields)])
    for num, size, base in fields:
        out += bytes([num, size, base])
    if dev is not None:
        out += bytes([len(dev)])
        for num, size, idx in dev:
            out += bytes([num, size, idx])
    return out


def data(local, payload):
    return bytes([local]) + payload


def fit_file(body, header_size=14, header_crc=True, bad_header_crc=False, bad_file_crc=False,
             data_size=None):
    size = len(body) if data_size is None else data_size
    hdr = bytes([header_size, 0x20]) + struct.pack("<HI", 2140, size) + b".FIT"
    if header_size >= 14:
        c = crc16(hdr) if header_crc else 0
        if bad_header_crc:
            c ^= 0x1234
        hdr += struct.pack("<H", c)
    f = hdr + body
    c = crc16(f)
    if bad_file_crc:
        c ^= 0x0101
    return f + struct.pack("<H", c)


REC_FIELDS = [(253, 4, 0x86), (3, 1, 0x02), (4, 1, 0x02), (5, 4, 0x86), (6, 2, 0x84)]


def rec(t, hr, cad, dist_cm, speed_mms):
    return data(0, struct.pack("<IBBIH", t, hr, cad, dist_cm, speed_mms))


def good_body():
    b = definition(0, 20, REC_FIELDS)
    for i in range(10):
        b += rec(T0 + i, 100 + i, 55, 120 * i, 1200)
    return b


def main():
    root = os.path.join(os.path.dirname(__file__), "..", "tests", "corpus")
    bad = os.path.join(root, "bad", "fit")
    seeds = os.path.join(root, "fuzz", "fuzz_fit")
    os.makedirs(bad, exist_ok=True)
    os.makedirs(seeds, exist_ok=True)

    def w(folder, name, content):
        with open(os.path.join(folder, name), "wb") as f:
            f.write(content)

    good = fit_file(good_body())
    # --- seeds: valid files exercising the decoder's paths
    w(seeds, "records.fit", good)
    w(seeds, "legacy_header.fit", fit_file(good_body(), header_size=12))
    be = definition(1, 20, REC_FIELDS, big_endian=True)
    for i in range(5):
        be += data(1, struct.pack(">IBBIH", T0 + i, 90, 50, 100 * i, 1000))
    w(seeds, "big_endian.fit", fit_file(be))
    # compressed timestamps: a full timestamp, then 5-bit offsets (with a roll-over)
    comp = definition(0, 20, REC_FIELDS) + rec(T0 + 30, 100, 55, 0, 1000)
    comp += definition(1, 20, [(3, 1, 0x02), (6, 2, 0x84)])
    for off in (31, 1, 2, 5):
        comp += bytes([0x80 | (1 << 5) | off]) + struct.pack("<BH", 101, 1100)
    w(seeds, "compressed.fit", fit_file(comp))
    # developer fields and an unknown message
    dev = definition(2, 20, REC_FIELDS, dev=[(0, 4, 0), (1, 2, 0)])
    dev += data(2, struct.pack("<IBBIH", T0, 120, 60, 500, 1500) + b"\x01\x02\x03\x04\x05\x06")
    dev += definition(3, 999, [(0, 3, 0x0D)]) + data(3, b"abc")
    w(seeds, "developer.fit", fit_file(dev))
    # two chained files
    w(seeds, "chained.fit", good + fit_file(good_body()))
    # session + lap + sport with a name
    sl = good_body()
    sl += definition(4, 12, [(0, 1, 0x00), (1, 1, 0x00), (3, 16, 0x07)])
    sl += data(4, bytes([11, 27]) + b"Backward walking"[:15].ljust(16, b"\0"))
    sl += definition(5, 19, [(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (9, 4, 0x86),
                             (15, 1, 0x02)])
    sl += data(5, struct.pack("<IIIIB", T0 + 9, T0, 9000, 1080, 104))
    sl += definition(6, 18, [(253, 4, 0x86), (2, 4, 0x86), (5, 1, 0x00), (6, 1, 0x00),
                             (7, 4, 0x86), (9, 4, 0x86), (10, 4, 0x86), (11, 2, 0x84)])
    sl += data(6, struct.pack("<IIBBIIIH", T0 + 9, T0, 11, 27, 9000, 1080, 9, 12))
    w(seeds, "session.fit", fit_file(sl))

    # --- bad inputs (tests/corpus/bad/EXPECTED.tsv lists the messages)
    w(bad, "truncated.fit", good[:len(good) - 20])
    w(bad, "no_file_crc.fit", good[:-2])
    w(bad, "bad_header_crc.fit", fit_file(good_body(), bad_header_crc=True))
    w(bad, "bad_file_crc.fit", fit_file(good_body(), bad_file_crc=True))
    w(bad, "header_size.fit", bytes([5]) + good[1:])
    w(bad, "not_fit.fit", good[:8] + b".FOO" + good[12:])
    w(bad, "undefined_local.fit", fit_file(definition(0, 20, REC_FIELDS) + data(3, b"\0" * 12)))
    w(bad, "unknown_base_type.fit", fit_file(definition(0, 20, [(253, 4, 0x86), (3, 1, 0x42)])))
    w(bad, "size_zero.fit", fit_file(definition(0, 20, [(253, 4, 0x86), (3, 0, 0x02)])))
    w(bad, "string_heart_rate.fit",
      fit_file(definition(0, 20, [(253, 4, 0x86), (3, 4, 0x07)]) + data(0, struct.pack("<I", T0) + b"fast")))
    w(bad, "size_not_multiple.fit",
      fit_file(definition(0, 20, [(253, 4, 0x86), (6, 3, 0x84)]) + data(0, struct.pack("<I", T0) + b"\1\2\3")))
    w(bad, "heart_rate_range.fit",
      fit_file(definition(0, 20, REC_FIELDS) + rec(T0, 251, 55, 0, 1000)))
    w(bad, "speed_range.fit",
      fit_file(definition(0, 20, [(253, 4, 0x86), (73, 4, 0x86)]) + data(0, struct.pack("<II", T0, 60000))))
    w(bad, "compressed_first.fit",
      fit_file(definition(0, 20, [(3, 1, 0x02)]) + bytes([0x80 | 3]) + b"\x64"))
    w(bad, "relative_time.fit", fit_file(definition(0, 20, REC_FIELDS) + rec(1000, 100, 55, 0, 1000)))
    w(bad, "no_timestamp.fit", fit_file(definition(0, 20, [(3, 1, 0x02)]) + data(0, b"\x64")))
    w(bad, "architecture.fit", fit_file(b"\x40\x00\x07\x14\x00\x00"))
    # a definition with 255 fields of 255 bytes whose data runs past the header's data size
    huge = definition(0, 20, [(i, 255, 0x0D) for i in range(255)]) + data(0, b"\0" * 100)
    w(bad, "huge_message.fit", fit_file(huge))
    w(bad, "data_size_too_large.fit", fit_file(good_body(), data_size=len(good_body()) + 1000))
    w(bad, "trailing_garbage.fit", good + b"\x00\x01\x02")


if __name__ == "__main__":
    main()
