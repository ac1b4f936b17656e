#!/usr/bin/env python3
"""Strict structural check of an iCalendar file (RFC 5545), standard library only.

Usage: ics_check.py FILE EXPECTED_EVENTS
Checks: CRLF line ends only; content lines of at most 75 octets (section 3.1), folded lines
starting with one space or tab; UTF-8; every unfolded line NAME[;PARAM=...]:VALUE with an
iana-token or x-name; BEGIN/END properly nested; one VCALENDAR with VERSION:2.0 and PRODID; every
VEVENT with exactly one UID (unique), DTSTAMP (UTC date-time), DTSTART (date-time) and DURATION
(dur-value) or DTEND; TEXT values (SUMMARY, DESCRIPTION) with commas, semicolons and backslashes
escaped (section 3.3.11). Exit 1 with a message naming the line on the first problem.
"""
import re
import sys

NAME = re.compile(r"^(?:[A-Za-z0-9-]+)$")
DATE_TIME = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$")
DURATION = re.compile(r"^[+-]?P(?:\d+W|(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?)$")


def fail(msg):
    print("ics_check: " + msg)
    sys.exit(1)


def check_date_time(value, lineno, utc):
    m = DATE_TIME.match(value)
    if not m:
        fail("line %d: not a DATE-TIME: %r" % (lineno, value))
    y, mo, d, h, mi, s = (int(x) for x in m.groups()[:6])
    if not (1 <= mo <= 12 and 1 <= d <= 31 and h <= 23 and mi <= 59 and s <= 60):
        fail("line %d: DATE-TIME out of range: %r" % (lineno, value))
    if utc and m.group(7) != "Z":
        fail("line %d: DTSTAMP must be UTC: %r" % (lineno, value))


def check_text(value, lineno):
    i = 0
    while i < len(value):
        c = value[i]
        if c == "\\":
            if i + 1 >= len(value) or value[i + 1] not in "\\;,nN":
                fail("line %d: bad escape in TEXT" % lineno)
            i += 2
            continue
        if c in ",;":
            fail("line %d: unescaped %r in TEXT" % (lineno, c))
        i += 1


def main():
    path, expected = sys.argv[1], int(sys.argv[2])
    raw = open(path, "rb").read()
    if not raw.endswith(b"\r\n"):
        fail("file does not end with CRLF")
    physical = raw.split(b"\r\n")[:-1]
    for n, line in enumerate(physical, 1):
        if b"\n" in line or b"\r" in line:
            fail("line %d: bare LF or CR (lines must end in CRLF)" % n)
        if len(line) > 75:
            fail("line %d: %d octets, more than 75 (fold it)" % (n, len(line)))
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            fail("line %d: not UTF-8 (a fold split a character?)" % n)
    # unfold
    lines = []
    for n, line in enumerate(physical, 1):
        text = line.decode("utf-8")
        if text[:1] in (" ", "\t"):
            if not lines:
                fail("line %d: continuation without a line to continue" % n)
            lines[-1] = (lines[-1][0], lines[-1][1] + text[1:])
        else:
            lines.append((n, text))
    stack, calendars, events, uids = [], 0, 0, set()
    props = None
    for n, text in lines:
        if ":" not in text:
            fail("line %d: no ':' in %r" % (n, text))
        head, value = text.split(":", 1)
        name = head.split(";", 1)[0]
        if not NAME.match(name):
            fail("line %d: bad property name %r" % (n, name))
        uname = name.upper()
        if uname == "BEGIN":
            if not stack and value != "VCALENDAR":
                fail("line %d: the file must begin with BEGIN:VCALENDAR" % n)
            stack.append((value, {}))
            if value == "VCALENDAR":
                calendars += 1
            continue
        if uname == "END":
            if not stack or stack[-1][0] != value:
                fail("line %d: END:%s does not close %s" % (n, value, stack[-1][0] if stack else "nothing"))
            comp, props = stack.pop()
            if comp == "VEVENT":
                events += 1
                for req in ("UID", "DTSTAMP", "DTSTART"):
                    if len(props.get(req, [])) != 1:
                        fail("line %d: VEVENT needs exactly one %s" % (n, req))
                if "DURATION" not in props and "DTEND" not in props:
                    fail("line %d: VEVENT needs DURATION or DTEND" % n)
                uid = props["UID"][0]
                if uid in uids:
                    fail("line %d: UID %r twice" % (n, uid))
                uids.add(uid)
            if comp == "VCALENDAR":
                if props.get("VERSION") != ["2.0"]:
                    fail("VCALENDAR needs VERSION:2.0")
                if len(props.get("PRODID", [])) != 1:
                    fail("VCALENDAR needs one PRODID")
            continue
        if not stack:
            fail("line %d: property outside any component" % n)
        stack[-1][1].setdefault(uname, []).append(value)
        if uname == "DTSTAMP":
            check_date_time(value, n, True)
        elif uname in ("DTSTART", "DTEND"):
            check_date_time(value, n, False)
        elif uname == "DURATION" and not DURATION.match(value):
            fail("line %d: bad DURATION %r" % (n, value))
        elif uname in ("SUMMARY", "DESCRIPTION", "X-WR-CALNAME"):
            check_text(value, n)
    if stack:
        fail("unclosed %s" % stack[-1][0])
    if calendars != 1:
        fail("%d VCALENDAR components, expected 1" % calendars)
    if events != expected:
        fail("%d VEVENTs, expected %d" % (events, expected))
    print("ics_check: %d events, valid" % events)


main()
