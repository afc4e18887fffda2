"""Guess how a text file is written: its encoding, and a CSV file's delimiter and records.

:func:`sniff_encoding` looks at raw bytes, :func:`sniff_delimiter` at decoded text;
:func:`scan_csv_records` splits CSV text into records the way pyarrow reads them, for the
delimiter guess and for finding the header.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "SNIFF_BYTES",
    "CsvRecord",
    "decode_sample",
    "scan_csv_records",
    "sniff_delimiter",
    "sniff_encoding",
]

SNIFF_BYTES = 256 * 1024
"""How much of a file (after decompression) encoding, delimiter and header sniffing look at."""

_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_RECORDS = 20
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
# One GB18030 character: a two-byte pair from the GB2312 table (common hanzi and CJK
# punctuation, group 1), a four-byte sequence, or any other two-byte pair.
_GB18030_CHAR = re.compile(
    rb"([\xa1-\xd7][\xa1-\xfe])|[\x81-\xfe][\x30-\x39][\x81-\xfe][\x30-\x39]|[\x81-\xfe][\x40-\xfe]"
)


def sniff_encoding(sample: bytes, *, truncated: bool = True) -> str:
    """Guess the Python codec of a text file from its first bytes.

    Parameters
    ----------
    sample : bytes
        The start of the file (:data:`SNIFF_BYTES` is plenty).
    truncated : bool
        Whether the file goes on after ``sample``: if so, a multi-byte character cut at the
        end of the sample does not count against an encoding.

    Returns
    -------
    str
        "utf-8-sig", "utf-16" or "utf-32" for a byte-order mark; "utf-16-le"/"utf-16-be" for
        BOM-less UTF-16; "utf-8" for valid UTF-8 (ASCII included); "gb18030" for Chinese text
        from Excel or WPS; otherwise "cp1252" when bytes 0x80-0x9F occur and are all Windows-1252
        characters (€, ’, “ ...), else "latin-1".

    Notes
    -----
    GB18030 is chosen when the sample decodes as GB18030 and most of its two-byte characters
    are common simplified hanzi or CJK punctuation (the GB2312 table): Latin-1 text almost never
    decodes as GB18030, and when it does its "characters" are an accented letter and an ASCII
    one. Traditional-Chinese GBK text fails that test; declare its encoding. "latin-1" and
    "cp1252" differ only in 0x80-0x9F, so a Windows-1252 file whose first 256 KiB hold no such
    byte is read as Latin-1 (a later € comes out as U+0080); declare "cp1252" to be sure.

    Examples
    --------
    >>> sniff_encoding("Peña".encode("latin-1")), sniff_encoding("张伟，北京".encode("gb18030"))
    ('latin-1', 'gb18030')
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        even_zeros, odd_zeros = sample[0::2].count(0), sample[1::2].count(0)
        if odd_zeros > len(sample) // 4 and even_zeros * 8 < odd_zeros:
            return "utf-16-le"
        if even_zeros > len(sample) // 4 and odd_zeros * 8 < even_zeros:
            return "utf-16-be"
    if _decodes(sample, "utf-8", truncated):
        return "utf-8"
    if _decodes(sample, "gb18030", truncated) and _looks_chinese(sample):
        return "gb18030"
    c1_bytes = set(re.findall(rb"[\x80-\x9f]", sample))
    if c1_bytes and not {byte[0] for byte in c1_bytes} & _CP1252_UNDEFINED:
        return "cp1252"
    return "latin-1"


def sniff_delimiter(text_sample: str) -> str:
    """Guess the field separator of CSV text among ``,`` ``;`` tab and ``|``.

    Counts each candidate outside quoted fields in the first 20 records and picks the one whose
    count in the header is non-zero and repeated by the most records (ties go to the larger
    count, then to the order above).

    Parameters
    ----------
    text_sample : str
        The decoded start of the file; a record cut at the end is ignored.

    Returns
    -------
    str
        The delimiter; "," when no candidate occurs in the header.

    Examples
    --------
    >>> sniff_delimiter('name;note\\n"Peña, Ana";"a;b"\\nLi;x\\n')
    ';'
    """
    records = [rec for rec in scan_csv_records(text_sample, _SNIFF_RECORDS) if rec.text.strip()]
    if len(records) > 1 and not records[-1].complete:
        records.pop()
    if not records:
        return ","
    header = records[0].counts
    best, best_key = ",", (0.0, 0)
    for candidate in _DELIMITERS:
        if header[candidate] == 0:
            continue
        agreeing = sum(rec.counts[candidate] == header[candidate] for rec in records)
        key = (agreeing / len(records), header[candidate])
        if key > best_key:
            best, best_key = candidate, key
    return best


def decode_sample(sample: bytes, encoding: str, *, truncated: bool) -> str:
    """Decode the start of a file; a character cut at the end is dropped when ``truncated``.

    Raises
    ------
    UnicodeDecodeError
        ``sample`` is not text in ``encoding``.
    """
    return codecs.getincrementaldecoder(encoding)().decode(sample, final=not truncated)


@dataclass
class CsvRecord:
    """One record of CSV text, as :func:`scan_csv_records` finds it."""

    text: str  # without its line break
    next_start: int  # where the next record starts in the scanned text
    complete: bool
    counts: dict[str, int]  # each candidate delimiter's count outside quoted fields


def scan_csv_records(text: str, limit: int | None) -> Iterator[CsvRecord]:
    """Split CSV text into at most ``limit`` records, counting candidate delimiters.

    A quote opens a quoted field only at the start of a field (as pyarrow and Python's csv
    module read it); inside one, a doubled quote is a literal quote. A record cut at the end of
    ``text`` comes last, marked not ``complete``.
    """
    start, found, index, length = 0, 0, 0, len(text)
    counts = dict.fromkeys(_DELIMITERS, 0)
    in_quotes, field_start = False, True
    while index < length and (limit is None or found < limit):
        char = text[index]
        if in_quotes:
            if char == '"':
                if text.startswith('"', index + 1):
                    index += 1
                else:
                    in_quotes = False
        elif char in "\r\n":
            end = index
            if char == "\r" and text.startswith("\n", index + 1):
                index += 1
            index += 1
            yield CsvRecord(text[start:end], index, True, counts)
            found += 1
            start, counts, field_start = index, dict.fromkeys(_DELIMITERS, 0), True
            continue
        elif char in counts:
            counts[char] += 1
            field_start = True
            index += 1
            continue
        elif char == '"' and field_start:
            in_quotes = True
        field_start = False
        index += 1
    if start < length and (limit is None or found < limit):
        yield CsvRecord(text[start:], length, False, counts)


def _decodes(sample: bytes, encoding: str, truncated: bool) -> bool:
    try:
        decode_sample(sample, encoding, truncated=truncated)
    except UnicodeDecodeError:
        return False
    return True


def _looks_chinese(sample: bytes) -> bool:
    """Whether most multi-byte characters are common hanzi or CJK punctuation from GB2312.

    Latin-1 text rarely decodes as GB18030 at all; when it does, its pairs are an accented
    letter followed by an ASCII one, outside the GB2312 table.
    """
    matches = _GB18030_CHAR.findall(sample)
    return bool(matches) and sum(1 for pair in matches if pair) >= 0.5 * len(matches)
