"""What a PDF file says about itself, read with the standard library alone: is it a PDF at
all, how many pages (sheets) it has, its title and creation date, and the text of its first
page. That is enough to recognise a printed form of ours (fpdf2 writes plain objects, page
streams compressed with zlib and a ToUnicode map per font): the title names the document,
class and year, the footer says whether it was a draft and which period it is of.

Anything this reader cannot follow (another producer's object streams, encryption) leaves
the text empty and the facts unknown; only a file that is not a PDF, or has no pages, is an
error."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime

_OBJ = re.compile(rb"(?<![0-9])(\d+)\s+(\d+)\s+obj\b")
_WORD = re.compile(rb"[^\s()<>\[\]{}/%]+")
_NAME = re.compile(rb"/([^\s()<>\[\]{}/%]*)")
_NUMBER = re.compile(rb"^[+-]?(\d+\.?\d*|\.\d+)$")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}
_SHOW = {b"Tj", b"TJ", b"'", b'"'}


class NotAPdf(ValueError):
    """The bytes are not a PDF document this reader can count the pages of."""


@dataclass(frozen=True)
class PdfFacts:
    pages: int
    title: str = ""
    creator: str = ""
    created: datetime | None = None  # UTC
    first_page_text: str = ""


@dataclass(frozen=True)
class _Obj:
    head: bytes  # the dictionary (or value) before any stream
    stream: bytes | None


def read_pdf(data: bytes) -> PdfFacts:
    """The facts of a PDF; `NotAPdf` when it is none or its pages cannot be counted."""
    if not data.lstrip()[:5] == b"%PDF-":
        raise NotAPdf("no %PDF- header")
    objects = _objects(data)
    info = objects.get(_ref(_trailer(data), b"Info") or -1)
    pages = _page_count(data, objects)
    if pages < 1:
        raise NotAPdf("no pages")
    head = info.head if info else b""
    return PdfFacts(pages, _text_value(head, b"Title"), _text_value(head, b"Creator"),
                    _pdf_date(_text_value(head, b"CreationDate")), _safe_first_page_text(objects))


# ---- objects -------------------------------------------------------------------------------

def _objects(data: bytes) -> dict[int, _Obj]:
    """Every `N G obj … endobj`, its stream cut by its /Length (binary data is never searched)."""
    found: dict[int, _Obj] = {}
    pos = 0
    while (match := _OBJ.search(data, pos)) is not None:
        start = match.end()
        end = data.find(b"endobj", start)
        if end < 0:
            break
        stream_at = data.find(b"stream", start, end)
        if stream_at < 0:
            found[int(match.group(1))] = _Obj(data[start:end], None)
            pos = end + 6
            continue
        head = data[start:stream_at]
        body = stream_at + 6 + (2 if data[stream_at + 6:stream_at + 8] == b"\r\n" else 1)
        length = _int(head, b"Length")
        if length is None:
            found[int(match.group(1))] = _Obj(head, None)
            pos = end + 6
            continue
        found[int(match.group(1))] = _Obj(head, data[body:body + length])
        pos = max(body + length, data.find(b"endobj", body + length) + 6)
    return found


def _trailer(data: bytes) -> bytes:
    at = data.rfind(b"trailer")
    return data[at:] if at >= 0 else b""


def _ref(head: bytes, key: bytes) -> int | None:
    match = re.search(rb"/" + key + rb"\s+(\d+)\s+\d+\s+R", head)
    return int(match.group(1)) if match else None


def _int(head: bytes, key: bytes) -> int | None:
    match = re.search(rb"/" + key + rb"\s+(\d+)(?!\s+\d+\s+R)\b", head)
    return int(match.group(1)) if match else None


def _page_count(data: bytes, objects: dict[int, _Obj]) -> int:
    root = _pages_root(data, objects)
    count = _int(root.head, b"Count") if root else None
    if count is not None:
        return count
    return sum(1 for obj in objects.values() if re.search(rb"/Type\s*/Page(?![s\w])", obj.head))


def _pages_root(data: bytes, objects: dict[int, _Obj]) -> _Obj | None:
    catalog = objects.get(_ref(_trailer(data), b"Root") or -1)
    if catalog is None:
        catalog = next((o for o in objects.values() if re.search(rb"/Type\s*/Catalog", o.head)), None)
    return objects.get(_ref(catalog.head, b"Pages") or -1) if catalog else None


def _stream(obj: _Obj | None) -> bytes:
    if obj is None or obj.stream is None:
        return b""
    if b"/Filter" not in obj.head:
        return obj.stream
    if re.search(rb"/Filter\s*/FlateDecode\s*[/>]", obj.head):
        return zlib.decompress(obj.stream)
    return b""  # another filter: this reader does not follow it


# ---- strings ---------------------------------------------------------------------------------

def _literal(data: bytes, i: int) -> tuple[bytes, int]:
    """The literal string opening at data[i] == '(' and the position after it."""
    out, depth, i = bytearray(), 1, i + 1
    while i < len(data):
        c = data[i:i + 1]
        if c == b"\\":
            i = _escape(data, i + 1, out)
            continue
        depth += (c == b"(") - (c == b")")
        if depth == 0:
            return bytes(out), i + 1
        out += c
        i += 1
    return bytes(out), i


def _escape(data: bytes, i: int, out: bytearray) -> int:
    e = data[i:i + 1]
    if e in _ESCAPES:
        out += _ESCAPES[e]
        return i + 1
    if e.isdigit():
        digits = re.match(rb"[0-7]{1,3}", data[i:i + 3])
        if digits:
            out.append(int(digits.group(), 8) & 0xFF)
            return i + len(digits.group())
    if e in (b"\r", b"\n"):  # a line continuation
        return i + (2 if data[i:i + 2] == b"\r\n" else 1)
    out += e
    return i + 1


def _hex(text: bytes) -> bytes:
    digits = re.sub(rb"\s", b"", text)
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))


def _text_value(head: bytes, key: bytes) -> str:
    """An information string: UTF-16 with its byte-order mark, else one byte a character."""
    match = re.search(rb"/" + key + rb"\s*(\(|<(?!<))", head)
    if not match:
        return ""
    if match.group(1) == b"(":
        raw, _ = _literal(head, match.start(1))
    else:
        raw = _hex(head[match.end(1):head.find(b">", match.end(1))])
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", errors="replace")
    return raw.decode("latin-1")


def _pdf_date(text: str) -> datetime | None:
    """D:YYYYMMDDHHmmSS with Z or no zone (UTC), as fpdf2 writes it."""
    match = re.match(r"D:(\d{14})", text)
    if not match:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


# ---- the first page's text -----------------------------------------------------------------

def _safe_first_page_text(objects: dict[int, _Obj]) -> str:
    try:
        return _first_page_text(objects)
    except (ValueError, LookupError, zlib.error):
        return ""  # a structure this reader does not follow: the facts stay unknown


def _first_page_text(objects: dict[int, _Obj]) -> str:
    page = _first_page(objects)
    if page is None:
        return ""
    fonts = _fonts(objects, page.head)
    contents = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+\s+\d+\s+R)", page.head)
    ids = [int(n) for n in re.findall(rb"(\d+)\s+\d+\s+R", contents.group(1))] if contents else []
    return "\n".join(_show_text(_stream(objects.get(i)), fonts) for i in ids)


def _first_page(objects: dict[int, _Obj]) -> _Obj | None:
    node = next((o for o in objects.values() if re.search(rb"/Type\s*/Pages", o.head)
                 and not re.search(rb"/Parent\s", o.head)), None)
    for _ in range(32):  # a page tree is never this deep
        if node is None or not re.search(rb"/Type\s*/Pages", node.head):
            return node
        kids = re.search(rb"/Kids\s*\[\s*(\d+)\s+\d+\s+R", node.head)
        node = objects.get(int(kids.group(1))) if kids else None
    return None


def _fonts(objects: dict[int, _Obj], page_head: bytes) -> dict[bytes, dict[int, str] | None]:
    """Font resource name → its code-to-text map (None: one byte a character)."""
    resources = objects.get(_ref(page_head, b"Resources") or -1)
    head = resources.head if resources else page_head
    font_ref = _ref(head, b"Font")
    font_dict = objects[font_ref].head if font_ref is not None and font_ref in objects else head
    found = {}
    for name, number in re.findall(rb"/([\w.+-]+)\s+(\d+)\s+\d+\s+R", font_dict):
        font = objects.get(int(number))
        cmap = _ref(font.head, b"ToUnicode") if font else None
        found[name] = _cmap(_stream(objects.get(cmap))) if cmap is not None else None
    return found


def _cmap(text: bytes) -> dict[int, str]:
    """A ToUnicode CMap's bfchar and bfrange entries."""
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[int(src, 16)] = _hex(dst).decode("utf-16-be", errors="replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(first + offset)
    return mapping


def _decode(raw: bytes, cmap: dict[int, str] | None) -> str:
    if cmap is None:
        return raw.decode("latin-1")
    return "".join(cmap.get(int.from_bytes(raw[i:i + 2], "big"), "") for i in range(0, len(raw) - 1, 2))


def _show_text(content: bytes, fonts: dict[bytes, dict[int, str] | None]) -> str:
    """The strings the page shows, one line per text-showing operator."""
    lines: list[str] = []
    operands: list[tuple[str, bytes]] = []
    font: dict[int, str] | None = None
    for kind, value in _tokens(content):
        if kind != "op":
            operands.append((kind, value))
            continue
        if value == b"Tf":
            names = [v for k, v in operands if k == "name"]
            font = fonts.get(names[-1]) if names else None
        elif value in _SHOW:
            lines.append("".join(_decode(v, font) for k, v in operands if k == "str"))
        if value not in (b"[", b"]"):
            operands = []
    return "\n".join(lines)


def _tokens(data: bytes):  # noqa: ANN202 - yields (kind, bytes)
    """Content-stream tokens: str, name, num, op (operators, brackets and dictionaries)."""
    i, n = 0, len(data)
    while i < n:
        c = data[i:i + 1]
        if c.isspace() or c == b"\x00":
            i += 1
        elif c == b"%":
            eol = data.find(b"\n", i)
            i = n if eol < 0 else eol + 1
        elif c == b"(":
            value, i = _literal(data, i)
            yield "str", value
        elif c == b"<" and data[i + 1:i + 2] != b"<":
            end = data.find(b">", i)
            yield "str", _hex(data[i + 1:end])
            i = end + 1
        elif c == b"/":
            match = _NAME.match(data, i)
            yield "name", match.group(1)
            i = match.end()
        elif (match := _WORD.match(data, i)) is not None:
            yield ("num" if _NUMBER.match(match.group()) else "op"), match.group()
            i = match.end()
        else:
            step = 2 if data[i:i + 2] in (b"<<", b">>") else 1
            yield "op", data[i:i + step]
            i += step
